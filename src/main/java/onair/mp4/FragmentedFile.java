package onair.mp4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of a recording written as fragmented MP4 (ISO/IEC 14496-12 §8.8): {@code ftyp}, a 16-byte {@code free}
 * reserve, the initial {@code moov}, then one {@code moof} and {@code mdat} per fragment. A closed recording kept
 * fragmented ends with an {@code mfra} holding only its {@code mfro}; a finalised one has its reserve turned into the
 * header of one large {@code mdat} that spans the initial {@code moov} and every fragment, followed by a regular
 * {@code moov}. Reads the fragments of any of these states, and finds where the last complete fragment ends.
 */
public final class FragmentedFile {

    /** What state a recording is in. */
    public enum State {
        /** Still fragmented and not closed: being written, or left by a crash. */
        PARTIAL,
        /** Closed and kept fragmented: ends with an {@code mfra}. */
        FRAGMENTED,
        /** Closed and finalised: a regular MP4 with its {@code moov} at the end. */
        FINALISED
    }

    /** One track of the initial {@code moov}: its id, timescale and the boxes a regular {@code moov} copies. */
    public record Track(int id, int timescale, boolean video, byte[] tkhd, byte[] hdlr, byte[] mediaHeader,
            byte[] dinf, byte[] stsd) {}

    /** One fragment: where its {@code moof} starts, where its {@code mdat} ends, its start time in seconds. */
    public record Fragment(long start, long end, double time, boolean independent) {}

    /** Told of the chunks (one per {@code trun}) and samples of the fragments, in file order. */
    public interface Samples {

        void chunk(int track, long offset, int samples);

        void sample(int track, long dts, long duration, int size, int compositionOffset, boolean sync);
    }

    private static final Samples NO_SAMPLES = new Samples() {
        @Override
        public void chunk(int track, long offset, int samples) {
        }

        @Override
        public void sample(int track, long dts, long duration, int size, int compositionOffset, boolean sync) {
        }
    };

    static final int RESERVE = 16;
    static final int MFRA = 24;
    private static final long MP4_EPOCH_OFFSET = 2_082_844_800L;
    private static final int MAX_MOOF = 64 << 20;
    private static final int MAX_MOOV = 1 << 20;

    private final FileChannel channel;
    private final long ftypEnd;
    private final long moovStart;
    private final long moovEnd;
    private final long limit;
    private final State state;
    private final List<Track> tracks;
    private final Instant created;

    private FragmentedFile(FileChannel channel, long ftypEnd, long moovStart, long moovEnd, long limit, State state,
            List<Track> tracks, Instant created) {
        this.channel = channel;
        this.ftypEnd = ftypEnd;
        this.moovStart = moovStart;
        this.moovEnd = moovEnd;
        this.limit = limit;
        this.state = state;
        this.tracks = tracks;
        this.created = created;
    }

    /** Reads the layout of the recording in {@code channel}; throws if it is not one. */
    public static FragmentedFile read(FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer head = read(channel, 0, 8);
        if (head == null || !type(head, 4).equals("ftyp")) {
            throw new IOException("no ftyp at the start");
        }
        long ftypEnd = Integer.toUnsignedLong(head.getInt(0));
        ByteBuffer reserve = read(channel, ftypEnd, RESERVE);
        if (reserve == null) {
            throw new IOException("cut before the initial moov");
        }
        State state;
        long limit = size;
        String reserveType = type(reserve, 4);
        if (reserveType.equals("free") && reserve.getInt(0) == RESERVE) {
            state = endsWithMfra(channel, size) ? State.FRAGMENTED : State.PARTIAL;
            limit = state == State.FRAGMENTED ? size - MFRA : size;
        } else if (reserveType.equals("mdat") && reserve.getInt(0) == 1) {
            state = State.FINALISED;
            limit = ftypEnd + reserve.getLong(8);
        } else {
            throw new IOException("not a recording: " + reserveType + " after the ftyp");
        }
        long moovStart = ftypEnd + RESERVE;
        ByteBuffer moovHead = read(channel, moovStart, 8);
        if (moovHead == null || !type(moovHead, 4).equals("moov")) {
            throw new IOException("no initial moov");
        }
        long moovEnd = moovStart + Integer.toUnsignedLong(moovHead.getInt(0));
        if (moovEnd - moovStart > MAX_MOOV) {
            throw new IOException("an initial moov of " + (moovEnd - moovStart) + " bytes");
        }
        ByteBuffer moov = read(channel, moovStart, (int) (moovEnd - moovStart));
        if (moov == null) {
            throw new IOException("cut in the initial moov");
        }
        List<Track> tracks = new ArrayList<>();
        long creation = 0;
        try {
            for (BoxRange box : BoxRange.children(moov, 8, moov.limit())) {
                if (box.type().equals("mvhd")) {
                    creation = Integer.toUnsignedLong(moov.getInt(box.start() + 12));
                } else if (box.type().equals("trak")) {
                    tracks.add(track(moov, box));
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("a malformed initial moov: " + e.getMessage());
        }
        if (tracks.isEmpty()) {
            throw new IOException("no track in the initial moov");
        }
        Instant created = Instant.ofEpochSecond(Math.max(0, creation - MP4_EPOCH_OFFSET));
        return new FragmentedFile(channel, ftypEnd, moovStart, moovEnd, limit, state, List.copyOf(tracks), created);
    }

    private static Track track(ByteBuffer moov, BoxRange trak) {
        BoxRange tkhd = BoxRange.find(moov, trak, "tkhd");
        BoxRange mdia = BoxRange.find(moov, trak, "mdia");
        BoxRange mdhd = BoxRange.find(moov, mdia, "mdhd");
        BoxRange hdlr = BoxRange.find(moov, mdia, "hdlr");
        BoxRange minf = BoxRange.find(moov, mdia, "minf");
        BoxRange dinf = BoxRange.find(moov, minf, "dinf");
        BoxRange stbl = BoxRange.find(moov, minf, "stbl");
        BoxRange stsd = BoxRange.find(moov, stbl, "stsd");
        boolean video = BoxRange.type(moov, hdlr.start() + 16).equals("vide");
        BoxRange header = BoxRange.find(moov, minf, video ? "vmhd" : "smhd");
        int id = moov.getInt(tkhd.start() + 20);
        int timescale = moov.getInt(mdhd.start() + 20);
        return new Track(id, timescale, video, tkhd.bytes(moov), hdlr.bytes(moov), header.bytes(moov),
            dinf.bytes(moov), stsd.bytes(moov));
    }

    private static boolean endsWithMfra(FileChannel channel, long size) throws IOException {
        ByteBuffer tail = size < MFRA ? null : read(channel, size - MFRA, MFRA);
        return tail != null && type(tail, 4).equals("mfra") && tail.getInt(0) == MFRA
            && type(tail, 12).equals("mfro") && tail.getInt(20) == MFRA;
    }

    public State state() {
        return state;
    }

    public List<Track> tracks() {
        return tracks;
    }

    /** When the recording started, as the initial {@code moov}'s creation time states. */
    public Instant created() {
        return created;
    }

    long ftypEnd() {
        return ftypEnd;
    }

    /** The file's bytes from its start to the end of the initial {@code moov}: what a fragmented stream starts with. */
    public byte[] initialization() throws IOException {
        ByteBuffer ftyp = read(channel, 0, (int) ftypEnd);
        ByteBuffer moov = read(channel, moovStart, (int) (moovEnd - moovStart));
        byte[] bytes = new byte[ftyp.limit() + moov.limit()];
        ftyp.get(bytes, 0, ftyp.limit());
        moov.get(bytes, ftyp.limit(), moov.limit());
        return bytes;
    }

    /** Where the last complete fragment ends: the size a crashed recording is cut back to. */
    public long fragmentsEnd() throws IOException {
        long[] end = {moovEnd};
        fragments((start, moof, mdatEnd) -> {
            trafs(moof, start, NO_SAMPLES);
            end[0] = mdatEnd;
        });
        return end[0];
    }

    /** The complete fragments, each with the start time of its first track's first sample. */
    public List<Fragment> fragments() throws IOException {
        List<Fragment> fragments = new ArrayList<>();
        Track first = tracks.getFirst();
        fragments((start, moof, mdatEnd) -> {
            double[] time = {-1};
            boolean[] independent = {true};
            trafs(moof, start, new Samples() {
                @Override
                public void chunk(int track, long offset, int samples) {
                }

                @Override
                public void sample(int track, long dts, long duration, int size, int offset, boolean sync) {
                    if (track == first.id() && time[0] < 0) {
                        time[0] = (double) dts / first.timescale();
                        independent[0] = sync;
                    }
                }
            });
            fragments.add(new Fragment(start, mdatEnd, Math.max(0, time[0]), independent[0]));
        });
        return fragments;
    }

    /** The length in seconds: the longest track's last sample end. */
    public double duration() throws IOException {
        Map<Integer, Long> ends = new HashMap<>();
        forEachSample(new Samples() {
            @Override
            public void chunk(int track, long offset, int samples) {
            }

            @Override
            public void sample(int track, long dts, long duration, int size, int offset, boolean sync) {
                ends.put(track, dts + duration);
            }
        });
        double longest = 0;
        for (Track track : tracks) {
            longest = Math.max(longest, (double) ends.getOrDefault(track.id(), 0L) / track.timescale());
        }
        return longest;
    }

    /** Tells {@code sink} of every chunk and sample of the complete fragments, in file order. */
    public void forEachSample(Samples sink) throws IOException {
        fragments((start, moof, mdatEnd) -> trafs(moof, start, sink));
    }

    private interface FragmentSink {
        void fragment(long start, ByteBuffer moof, long mdatEnd);
    }

    private void fragments(FragmentSink sink) throws IOException {
        long at = moovEnd;
        while (true) {
            ByteBuffer head = read(channel, at, 8);
            if (head == null || at + 8 > limit || !type(head, 4).equals("moof")) {
                return;
            }
            long moofSize = Integer.toUnsignedLong(head.getInt(0));
            if (moofSize < 8 || moofSize > MAX_MOOF || at + moofSize + 8 > limit) {
                return;
            }
            ByteBuffer mdatHead = read(channel, at + moofSize, 16);
            if (mdatHead == null || !type(mdatHead, 4).equals("mdat")) {
                return;
            }
            long mdatSize = Integer.toUnsignedLong(mdatHead.getInt(0));
            if (mdatSize == 1) {
                mdatSize = mdatHead.getLong(8);
            }
            long end = at + moofSize + mdatSize;
            if (mdatSize < 8 || end > limit) {
                return;
            }
            ByteBuffer moof = read(channel, at, (int) moofSize);
            try {
                sink.fragment(at, moof, end);
            } catch (IndexOutOfBoundsException | IllegalStateException e) {
                return;
            }
            at = end;
        }
    }

    private static void trafs(ByteBuffer moof, long moofStart, Samples sink) {
        for (BoxRange traf : BoxRange.children(moof, 8, moof.limit())) {
            if (!traf.type().equals("traf")) {
                continue;
            }
            BoxRange tfhd = BoxRange.find(moof, traf, "tfhd");
            int tfhdFlags = moof.getInt(tfhd.start() + 8) & 0xffffff;
            int track = moof.getInt(tfhd.start() + 12);
            int at = tfhd.start() + 16;
            long base = moofStart;
            if ((tfhdFlags & 0x01) != 0) {
                base = moof.getLong(at);
                at += 8;
            }
            at += (tfhdFlags & 0x02) != 0 ? 4 : 0;
            long defaultDuration = 0;
            int defaultSize = 0;
            int defaultFlags = 0;
            if ((tfhdFlags & 0x08) != 0) {
                defaultDuration = Integer.toUnsignedLong(moof.getInt(at));
                at += 4;
            }
            if ((tfhdFlags & 0x10) != 0) {
                defaultSize = moof.getInt(at);
                at += 4;
            }
            if ((tfhdFlags & 0x20) != 0) {
                defaultFlags = moof.getInt(at);
            }
            BoxRange tfdt = BoxRange.find(moof, traf, "tfdt");
            long dts = moof.get(tfdt.start() + 8) == 1 ? moof.getLong(tfdt.start() + 12)
                : Integer.toUnsignedLong(moof.getInt(tfdt.start() + 12));
            long[] position = {base, dts};
            for (BoxRange trun : BoxRange.children(moof, traf.start() + 8, traf.end())) {
                if (trun.type().equals("trun")) {
                    trun(moof, trun, track, base, position, defaultDuration, defaultSize, defaultFlags, sink);
                }
            }
        }
    }

    /** Reads one {@code trun}; {@code position} holds the data offset and decode time that follow the last one. */
    private static void trun(ByteBuffer moof, BoxRange trun, int track, long base, long[] position,
            long defaultDuration, int defaultSize, int defaultFlags, Samples sink) {
        int flags = moof.getInt(trun.start() + 8) & 0xffffff;
        int count = moof.getInt(trun.start() + 12);
        int at = trun.start() + 16;
        long offset = position[0];
        long dts = position[1];
        if ((flags & 0x001) != 0) {
            offset = base + moof.getInt(at);
            at += 4;
        }
        int firstFlags = defaultFlags;
        boolean hasFirst = (flags & 0x004) != 0;
        if (hasFirst) {
            firstFlags = moof.getInt(at);
            at += 4;
        }
        sink.chunk(track, offset, count);
        for (int i = 0; i < count; i++) {
            long duration = defaultDuration;
            int size = defaultSize;
            int sampleFlags = i == 0 && hasFirst ? firstFlags : defaultFlags;
            int composition = 0;
            if ((flags & 0x100) != 0) {
                duration = Integer.toUnsignedLong(moof.getInt(at));
                at += 4;
            }
            if ((flags & 0x200) != 0) {
                size = moof.getInt(at);
                at += 4;
            }
            if ((flags & 0x400) != 0) {
                sampleFlags = moof.getInt(at);
                at += 4;
            }
            if ((flags & 0x800) != 0) {
                composition = moof.getInt(at);
                at += 4;
            }
            sink.sample(track, dts, duration, size, composition, (sampleFlags & 0x10000) == 0);
            dts += duration;
            offset += size;
        }
        position[0] = offset;
        position[1] = dts;
    }

    static ByteBuffer read(FileChannel channel, long at, int length) throws IOException {
        ByteBuffer into = ByteBuffer.allocate(length);
        while (into.hasRemaining()) {
            if (channel.read(into, at + into.position()) < 0) {
                return null;
            }
        }
        return into.flip();
    }

    private static String type(ByteBuffer buffer, int at) {
        return BoxRange.type(buffer, at);
    }
}
