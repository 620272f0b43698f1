package onair.mp4;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the regular {@code moov} (ISO/IEC 14496-12 §8.2–§8.7, no {@code mvex}) of a fragmented recording's complete
 * fragments at a position of its file: per track the boxes of the initial {@code moov} ({@code hdlr}, media header,
 * {@code dinf}, {@code stsd}) and sample tables whose {@code co64} offsets point into the fragments' {@code mdat}
 * payloads, one chunk per {@code trun}. Each table is written in its own pass over the fragments, so memory stays
 * bounded whatever the recording's length.
 */
final class RegularMoov {

    private static final int MOVIE_TIMESCALE = 1000;
    private static final int[] MATRIX = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};

    /** What one pass learns of a track: sample count, first decode time, total duration, table needs. */
    private static final class Stats {
        long samples;
        long first = -1;
        long duration;
        boolean composition;
        boolean negative;
        boolean allSync = true;
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
        List<FragmentedFile.Track> tracks = file.tracks();
        Stats[] stats = new Stats[tracks.size()];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = new Stats();
        }
        file.forEachSample(new FragmentedFile.Samples() {
            @Override
            public void chunk(int track, long offset, int samples) {
            }

            @Override
            public void sample(int track, long dts, long duration, int size, int offset, boolean sync) {
                Stats s = stats[index(track)];
                if (s.first < 0) {
                    s.first = dts;
                }
                s.samples++;
                s.duration += duration;
                s.composition |= offset != 0;
                s.negative |= offset < 0;
                s.allSync &= sync;
            }
        });
        long movieDuration = 0;
        for (int i = 0; i < stats.length; i++) {
            movieDuration = Math.max(movieDuration, movie(Math.max(0, stats[i].first) + stats[i].duration,
                tracks.get(i).timescale()));
        }
        out.begin("moov");
        mvhd(movieDuration, tracks.stream().mapToInt(FragmentedFile.Track::id).max().orElse(0) + 1);
        for (int i = 0; i < stats.length; i++) {
            trak(tracks.get(i), stats[i]);
        }
        out.end();
        out.flush();
        return out.position();
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

    private void trak(FragmentedFile.Track track, Stats stats) throws IOException {
        long start = Math.max(0, stats.first);
        out.begin("trak");
        tkhd(track, movie(start + stats.duration, track.timescale()));
        if (start > 0) {
            out.begin("edts");
            out.beginFull("elst", 1, 0);
            out.putInt(2);
            out.putLong(movie(start, track.timescale()));
            out.putLong(-1);
            out.putInt(0x10000);
            out.putLong(movie(stats.duration, track.timescale()));
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
        out.putLong(stats.duration);
        out.putShort(0x55c4);
        out.putShort(0);
        out.end();
        out.put(track.hdlr());
        out.begin("minf");
        out.put(track.mediaHeader());
        out.put(track.dinf());
        out.begin("stbl");
        out.put(track.stsd());
        tables(track, stats);
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

    private void tables(FragmentedFile.Track track, Stats stats) throws IOException {
        int id = track.id();
        table("stts", 0, new Runs() {
            @Override
            void sample(long duration, int size, int offset, boolean sync) {
                run(duration);
            }
        }, id);
        if (stats.composition) {
            table("ctts", stats.negative ? 1 : 0, new Runs() {
                @Override
                void sample(long duration, int size, int offset, boolean sync) {
                    run(offset);
                }
            }, id);
        }
        if (!stats.allSync) {
            table("stss", 0, new Runs() {
                private long number;

                @Override
                void sample(long duration, int size, int offset, boolean sync) {
                    number++;
                    if (sync) {
                        out.putInt((int) number);
                        entries++;
                    }
                }
            }, id);
        }
        table("stsc", 0, new Runs() {
            @Override
            void chunk(long offset, int samples) {
                chunks++;
                if (samples != last || entries == 0) {
                    out.putInt((int) chunks);
                    out.putInt(samples);
                    out.putInt(1);
                    entries++;
                    last = samples;
                }
            }
        }, id);
        out.beginFull("stsz", 0, 0);
        out.putInt(0);
        long countAt = out.position();
        out.putInt(0);
        Runs sizes = new Runs() {
            @Override
            void sample(long duration, int size, int offset, boolean sync) {
                out.putInt(size);
                entries++;
            }
        };
        pass(sizes, id);
        out.patch(countAt, (int) sizes.entries);
        out.end();
        table("co64", 0, new Runs() {
            @Override
            void chunk(long offset, int samples) {
                out.putLong(offset);
                entries++;
            }
        }, id);
    }

    private void table(String type, int version, Runs runs, int track) throws IOException {
        out.beginFull(type, version, 0);
        long countAt = out.position();
        out.putInt(0);
        pass(runs, track);
        runs.finish();
        out.patch(countAt, (int) runs.entries);
        out.end();
    }

    private void pass(Runs runs, int track) throws IOException {
        file.forEachSample(new FragmentedFile.Samples() {
            @Override
            public void chunk(int id, long offset, int samples) {
                if (id == track) {
                    runs.chunk(offset, samples);
                }
            }

            @Override
            public void sample(int id, long dts, long duration, int size, int offset, boolean sync) {
                if (id == track) {
                    runs.sample(duration, size, offset, sync);
                }
            }
        });
    }

    /** One table's entries as a pass over the samples produces them; {@link #run} writes run-length pairs. */
    private class Runs {
        long entries;
        long chunks;
        long last;
        private long count;

        void chunk(long offset, int samples) {
        }

        void sample(long duration, int size, int offset, boolean sync) {
        }

        void run(long value) {
            if (count > 0 && value == last) {
                count++;
                return;
            }
            finish();
            last = value;
            count = 1;
        }

        void finish() {
            if (count > 0) {
                out.putInt((int) count);
                out.putInt((int) last);
                entries++;
                count = 0;
            }
        }
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
