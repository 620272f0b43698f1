package onair.mp4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A test's reading of a regular MP4's last top-level {@code moov}: each track's sample tables, expanded. */
record RegularMp4(ByteBuffer moov, Map<String, Table> tracks) {

    /** One track's tables. */
    record Table(List<Long> sizes, List<Long> durations, List<Long> syncSamples, List<Long> compositionOffsets,
            List<long[]> chunksRuns, List<Long> chunkOffsets) {

        /** Every sample's bytes, found through stsc, co64 and stsz. */
        List<byte[]> samples(Path file) throws IOException {
            List<byte[]> samples = new ArrayList<>();
            try (FileChannel channel = FileChannel.open(file)) {
                int sample = 0;
                for (int chunk = 0; chunk < chunkOffsets.size(); chunk++) {
                    long perChunk = 0;
                    for (long[] run : chunksRuns) {
                        if (run[0] <= chunk + 1) {
                            perChunk = run[1];
                        }
                    }
                    long offset = chunkOffsets.get(chunk);
                    for (int i = 0; i < perChunk; i++) {
                        int size = (int) (long) sizes.get(sample++);
                        samples.add(FragmentedFile.read(channel, offset, size).array());
                        offset += size;
                    }
                }
            }
            return samples;
        }
    }

    Table track(String handler) {
        return tracks.get(handler);
    }

    boolean hasMvex() {
        return BoxRange.children(moov, 8, moov.limit()).stream().anyMatch(box -> box.type().equals("mvex"));
    }

    static List<String> topLevel(Path file) throws IOException {
        List<String> types = new ArrayList<>();
        for (long[] box : boxes(file)) {
            types.add(new String(new byte[] {(byte) (box[2] >> 24), (byte) (box[2] >> 16), (byte) (box[2] >> 8),
                (byte) box[2]}));
        }
        return types;
    }

    private static List<long[]> boxes(Path file) throws IOException {
        List<long[]> boxes = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file)) {
            long at = 0;
            while (at + 8 <= channel.size()) {
                ByteBuffer head = FragmentedFile.read(channel, at, 16);
                long size = Integer.toUnsignedLong(head.getInt(0));
                if (size == 1) {
                    size = head.getLong(8);
                }
                boxes.add(new long[] {at, size, head.getInt(4)});
                at += Math.max(8, size);
            }
        }
        return boxes;
    }

    static RegularMp4 read(Path file) throws IOException {
        long[] last = boxes(file).getLast();
        ByteBuffer moov;
        try (FileChannel channel = FileChannel.open(file)) {
            moov = FragmentedFile.read(channel, last[0], (int) last[1]);
        }
        Map<String, Table> tracks = new HashMap<>();
        for (BoxRange trak : BoxRange.children(moov, 8, moov.limit())) {
            if (!trak.type().equals("trak")) {
                continue;
            }
            BoxRange mdia = BoxRange.find(moov, trak, "mdia");
            String handler = BoxRange.type(moov, BoxRange.find(moov, mdia, "hdlr").start() + 16);
            BoxRange stbl = BoxRange.find(moov, BoxRange.find(moov, mdia, "minf"), "stbl");
            Map<String, BoxRange> tables = new HashMap<>();
            BoxRange.children(moov, stbl.start() + 8, stbl.end()).forEach(box -> tables.put(box.type(), box));
            tracks.put(handler, new Table(stsz(moov, tables.get("stsz")), runs(moov, tables.get("stts")),
                entries(moov, tables.get("stss")), runs(moov, tables.get("ctts")), stsc(moov, tables.get("stsc")),
                co64(moov, tables.get("co64"))));
        }
        return new RegularMp4(moov, tracks);
    }

    private static List<Long> stsz(ByteBuffer moov, BoxRange box) {
        List<Long> sizes = new ArrayList<>();
        int count = moov.getInt(box.start() + 16);
        for (int i = 0; i < count; i++) {
            sizes.add(Integer.toUnsignedLong(moov.getInt(box.start() + 20 + 4 * i)));
        }
        return sizes;
    }

    private static List<Long> runs(ByteBuffer moov, BoxRange box) {
        List<Long> values = new ArrayList<>();
        if (box == null) {
            return values;
        }
        int count = moov.getInt(box.start() + 12);
        for (int i = 0; i < count; i++) {
            int at = box.start() + 16 + 8 * i;
            for (int n = 0; n < moov.getInt(at); n++) {
                values.add((long) moov.getInt(at + 4));
            }
        }
        return values;
    }

    private static List<Long> entries(ByteBuffer moov, BoxRange box) {
        List<Long> values = new ArrayList<>();
        if (box == null) {
            return values;
        }
        int count = moov.getInt(box.start() + 12);
        for (int i = 0; i < count; i++) {
            values.add(Integer.toUnsignedLong(moov.getInt(box.start() + 16 + 4 * i)));
        }
        return values;
    }

    private static List<long[]> stsc(ByteBuffer moov, BoxRange box) {
        List<long[]> runs = new ArrayList<>();
        int count = moov.getInt(box.start() + 12);
        for (int i = 0; i < count; i++) {
            int at = box.start() + 16 + 12 * i;
            runs.add(new long[] {moov.getInt(at), moov.getInt(at + 4)});
        }
        return runs;
    }

    private static List<Long> co64(ByteBuffer moov, BoxRange box) {
        List<Long> offsets = new ArrayList<>();
        int count = moov.getInt(box.start() + 12);
        for (int i = 0; i < count; i++) {
            offsets.add(moov.getLong(box.start() + 16 + 8 * i));
        }
        return offsets;
    }
}
