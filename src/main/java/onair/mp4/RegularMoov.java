package onair.mp4;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the regular {@code moov} (ISO/IEC 14496-12 §8.2–§8.7, no {@code mvex}) of a fragmented recording's complete
 * fragments at a position of its file: per track the boxes of the initial {@code moov} ({@code hdlr}, media header,
 * {@code dinf}, {@code stsd}) and sample tables whose {@code co64} offsets point into the fragments' {@code mdat}
 * payloads, one chunk per {@code trun}. One pass over the fragments writes each table to a temporary file, which is
 * then copied into the {@code moov}, so memory stays bounded whatever the recording's length.
 */
final class RegularMoov {

    private static final int MOVIE_TIMESCALE = 1000;
    private static final int[] MATRIX = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};

    /** One sample table's entries, written to a temporary file during the pass over the fragments. */
    private static final class Table implements AutoCloseable {
        final String type;
        final FileChannel spill;
        final BoxOutput out;
        long entries;
        private long runLength;
        private long runValue;

        Table(String type) throws IOException {
            this.type = type;
            Path file = Files.createTempFile("onair-" + type + "-", ".table");
            this.spill = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
            this.out = new BoxOutput(spill, 0);
        }

        /** Adds a sample of {@code value} to a run-length table ({@code stts}, {@code ctts}). */
        void run(long value) {
            if (runLength > 0 && value == runValue) {
                runLength++;
                return;
            }
            endRun();
            runValue = value;
            runLength = 1;
        }

        void endRun() {
            if (runLength > 0) {
                out.putInt((int) runLength);
                out.putInt((int) runValue);
                entries++;
                runLength = 0;
            }
        }

        /** Appends the table as a box to {@code moov}. */
        void writeTo(BoxOutput moov, int version) {
            endRun();
            out.flush();
            moov.beginFull(type, version, 0);
            if (type.equals("stsz")) {
                moov.putInt(0);
            }
            moov.putInt((int) entries);
            moov.copy(spill, out.position());
            moov.end();
        }

        @Override
        public void close() throws IOException {
            spill.close();
        }
    }

    /** One track's tables and what the pass learns of its samples. */
    private static final class Track implements AutoCloseable {
        final FragmentedFile.Track track;
        final Table stts;
        final Table ctts;
        final Table stss;
        final Table stsc;
        final Table stsz;
        final Table co64;
        long first = -1;
        long duration;
        long samples;
        long chunks;
        int lastChunkSamples = -1;
        boolean composition;
        boolean negative;
        boolean allSync = true;

        Track(FragmentedFile.Track track) throws IOException {
            this.track = track;
            this.stts = new Table("stts");
            this.ctts = new Table("ctts");
            this.stss = new Table("stss");
            this.stsc = new Table("stsc");
            this.stsz = new Table("stsz");
            this.co64 = new Table("co64");
        }

        void chunk(long offset, int count) {
            chunks++;
            if (count != lastChunkSamples) {
                stsc.out.putInt((int) chunks);
                stsc.out.putInt(count);
                stsc.out.putInt(1);
                stsc.entries++;
                lastChunkSamples = count;
            }
            co64.out.putLong(offset);
            co64.entries++;
        }

        void sample(long dts, long length, int size, int offset, boolean sync) {
            if (first < 0) {
                first = dts;
            }
            samples++;
            duration += length;
            composition |= offset != 0;
            negative |= offset < 0;
            allSync &= sync;
            stts.run(length);
            ctts.run(offset);
            if (sync) {
                stss.out.putInt((int) samples);
                stss.entries++;
            }
            stsz.out.putInt(size);
            stsz.entries++;
        }

        @Override
        public void close() throws IOException {
            for (Table table : List.of(stts, ctts, stss, stsc, stsz, co64)) {
                table.close();
            }
        }
    }

    private final FragmentedFile file;
    private final BoxOutput out;
    private final long creation;

    private RegularMoov(FragmentedFile file, FileChannel channel, long at) {
        this.file = file;
        this.out = new BoxOutput(channel, at);
        this.creation = file.created().getEpochSecond() + 2_082_844_800L;
    }

    /** Writes the {@code moov} at {@code at}; returns where it ends. */
    static long write(FragmentedFile file, FileChannel channel, long at) throws IOException {
        return new RegularMoov(file, channel, at).write();
    }

    private long write() throws IOException {
        List<Track> tracks = new ArrayList<>();
        try {
            for (FragmentedFile.Track track : file.tracks()) {
                tracks.add(new Track(track));
            }
            file.forEachSample(new FragmentedFile.Samples() {
                @Override
                public void chunk(int track, long offset, int samples) {
                    tracks.get(index(track)).chunk(offset, samples);
                }

                @Override
                public void sample(int track, long dts, long duration, int size, int offset, boolean sync) {
                    tracks.get(index(track)).sample(dts, duration, size, offset, sync);
                }
            });
            long movieDuration = 0;
            for (Track track : tracks) {
                movieDuration = Math.max(movieDuration, movie(Math.max(0, track.first) + track.duration,
                    track.track.timescale()));
            }
            out.begin("moov");
            mvhd(movieDuration, file.tracks().stream().mapToInt(FragmentedFile.Track::id).max().orElse(0) + 1);
            for (Track track : tracks) {
                trak(track);
            }
            out.end();
            out.flush();
            return out.position();
        } finally {
            for (Track track : tracks) {
                track.close();
            }
        }
    }

    private int index(int track) {
        List<FragmentedFile.Track> tracks = file.tracks();
        for (int i = 0; i < tracks.size(); i++) {
            if (tracks.get(i).id() == track) {
                return i;
            }
        }
        throw new IllegalStateException("a fragment of track " + track + ", which the moov does not have");
    }

    private void mvhd(long duration, int nextTrack) {
        out.beginFull("mvhd", 1, 0);
        out.putLong(creation);
        out.putLong(creation);
        out.putInt(MOVIE_TIMESCALE);
        out.putLong(duration);
        out.putInt(0x10000);
        out.putShort(0x100);
        out.zero(10);
        matrix();
        out.zero(24);
        out.putInt(nextTrack);
        out.end();
    }

    private void trak(Track tables) {
        FragmentedFile.Track track = tables.track;
        long start = Math.max(0, tables.first);
        out.begin("trak");
        tkhd(track, movie(start + tables.duration, track.timescale()));
        if (start > 0) {
            out.begin("edts");
            out.beginFull("elst", 1, 0);
            out.putInt(2);
            out.putLong(movie(start, track.timescale()));
            out.putLong(-1);
            out.putInt(0x10000);
            out.putLong(movie(tables.duration, track.timescale()));
            out.putLong(0);
            out.putInt(0x10000);
            out.end();
            out.end();
        }
        out.begin("mdia");
        out.beginFull("mdhd", 1, 0);
        out.putLong(creation);
        out.putLong(creation);
        out.putInt(track.timescale());
        out.putLong(tables.duration);
        out.putShort(0x55c4);
        out.putShort(0);
        out.end();
        out.put(track.hdlr());
        out.begin("minf");
        out.put(track.mediaHeader());
        out.put(track.dinf());
        out.begin("stbl");
        out.put(track.stsd());
        tables.stts.writeTo(out, 0);
        if (tables.composition) {
            tables.ctts.writeTo(out, tables.negative ? 1 : 0);
        }
        if (!tables.allSync) {
            tables.stss.writeTo(out, 0);
        }
        tables.stsc.writeTo(out, 0);
        tables.stsz.writeTo(out, 0);
        tables.co64.writeTo(out, 0);
        out.end();
        out.end();
        out.end();
        out.end();
    }

    private void tkhd(FragmentedFile.Track track, long duration) {
        byte[] initial = track.tkhd();
        int at = initial.length - 8;
        out.beginFull("tkhd", 1, 3);
        out.putLong(creation);
        out.putLong(creation);
        out.putInt(track.id());
        out.putInt(0);
        out.putLong(duration);
        out.zero(8);
        out.putShort(0);
        out.putShort(0);
        out.putShort(track.video() ? 0 : 0x100);
        out.putShort(0);
        matrix();
        out.put(Arrays.copyOfRange(initial, at, initial.length));
        out.end();
    }

    private void matrix() {
        for (int value : MATRIX) {
            out.putInt(value);
        }
    }

    private static long movie(long units, int timescale) {
        return units * MOVIE_TIMESCALE / Math.max(1, timescale);
    }
}
