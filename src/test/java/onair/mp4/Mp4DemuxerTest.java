package onair.mp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import onair.media.ByteSource;
import onair.media.MediaFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Mp4Demuxer} on small hand-built files: an H.264 track with B-frames and an edit list, and an AAC track,
 * become FLV tag bodies in decoding order; broken or hostile files fail with an IOException, never reading more than
 * the box headers and the moov.
 */
class Mp4DemuxerTest {

    /** Where the moov is and how the mdat's size is written. */
    enum Layout { MOOV_FIRST_MDAT_TO_END, MOOV_LAST_64_BIT_MDAT }

    private static final byte[] AVC_C = HexFormat.of().parseHex("01640028ffe1000467640028010004" + "68ee3cb0");
    private static final byte[] HVC_C = HexFormat.of().parseHex("0101600000009000000000005df000fcfdf8f800000f");
    private static final byte[] ASC = {0x12, 0x10};
    private static final byte[][] VIDEO = {bytes(1, 2, 3), bytes(4, 5, 6, 7), bytes(8, 9)};
    private static final byte[][] AUDIO = {bytes(10, 11), bytes(12, 13, 14)};

    @ParameterizedTest
    @EnumSource(Layout.class)
    void samplesBecomeFlvTagBodiesInDecodingOrderShiftedByTheEdit(Layout layout) throws IOException {
        try (Mp4Demuxer demuxer = Mp4Demuxer.open(source(file(layout, "avc1", true)))) {
            assertThat(hex(demuxer.sequenceHeaders())).containsExactly(
                "1700000000" + HexFormat.of().formatHex(AVC_C), "af00" + "1210");
            assertThat(frames(demuxer)).containsExactly(
                "VIDEO@0 1701000050 010203", "VIDEO@40 2701000078 04050607", "VIDEO@80 1701000028 0809",
                "AUDIO@80 af01 0a0b", "AUDIO@103 af01 0c0d0e");
            assertThat(demuxer.duration()).isEqualTo(126);
            assertThat(demuxer.metadata()).containsAllEntriesOf(Map.of("duration", 0.126, "width", 640.0,
                "height", 360.0, "framerate", 25.0, "videocodecid", 7.0, "audiocodecid", 10.0,
                "audiosamplerate", 44100.0, "audiochannels", 2.0));
        }
    }

    @Test
    void hevcFramesHaveEnhancedRtmpHeadersWithTheCompositionTimeOnlyWhenItIsNotZero() throws IOException {
        try (Mp4Demuxer demuxer = Mp4Demuxer.open(source(file(Layout.MOOV_FIRST_MDAT_TO_END, "hvc1", false)))) {
            assertThat(hex(demuxer.sequenceHeaders()).getFirst())
                .isEqualTo("9068766331" + HexFormat.of().formatHex(HVC_C));
            assertThat(frames(demuxer)).startsWith("VIDEO@0 9168766331000050 010203",
                "VIDEO@40 a168766331000078 04050607", "VIDEO@80 9168766331000028 0809");
            assertThat(demuxer.metadata()).containsEntry("videocodecid", (double) 0x68766331);
        }
        byte[] noCompositionOffsets = file(Layout.MOOV_FIRST_MDAT_TO_END, "hvc1", true);
        rename(noCompositionOffsets, "ctts", "free");
        rename(noCompositionOffsets, "edts", "free");
        try (Mp4Demuxer demuxer = Mp4Demuxer.open(source(noCompositionOffsets))) {
            assertThat(frames(demuxer)).startsWith("VIDEO@0 9368766331 010203", "AUDIO@0 af01 0a0b",
                "AUDIO@23 af01 0c0d0e", "VIDEO@40 a368766331 04050607");
        }
    }

    @Test
    void seekingStartsAtTheLastKeyframeAndTheAudioFromThere() throws IOException {
        try (Mp4Demuxer demuxer = Mp4Demuxer.open(source(file(Layout.MOOV_LAST_64_BIT_MDAT, "avc1", true)))) {
            assertThat(demuxer.seek(100)).isEqualTo(80);
            assertThat(frames(demuxer)).containsExactly("VIDEO@80 1701000028 0809", "AUDIO@80 af01 0a0b",
                "AUDIO@103 af01 0c0d0e");
            assertThat(demuxer.seek(79)).isZero();
            assertThat(frames(demuxer)).hasSize(5);
        }
    }

    @Test
    void aMoovAfterATerabyteMdatIsFoundFromTheBoxHeadersAlone() throws IOException {
        byte[] small = file(Layout.MOOV_LAST_64_BIT_MDAT, "avc1", true);
        int mdatAt = indexOf(small, "mdat") - 4;
        int moovAt = indexOf(small, "moov") - 4;
        long mdatSize = 1L << 40;
        TreeMap<Long, byte[]> segments = new TreeMap<>();
        byte[] head = Arrays.copyOf(small, moovAt);
        ByteBuf largeSize = Unpooled.wrappedBuffer(head);
        largeSize.setLong(mdatAt + 8, mdatSize);
        segments.put(0L, head);
        segments.put(mdatAt + mdatSize, Arrays.copyOfRange(small, moovAt, small.length));
        SparseSource source = new SparseSource(mdatAt + mdatSize + small.length - moovAt, segments);
        try (Mp4Demuxer demuxer = Mp4Demuxer.open(source)) {
            assertThat(frames(demuxer)).hasSize(5);
        }
        assertThat(source.largestRead).isEqualTo(small.length - moovAt);
    }

    @Test
    void aFileCutShortFails() {
        byte[] file = file(Layout.MOOV_LAST_64_BIT_MDAT, "avc1", true);
        assertThatThrownBy(() -> Mp4Demuxer.open(source(Arrays.copyOf(file, file.length - 10))))
            .isInstanceOf(IOException.class).hasMessageContaining("moov box at").hasMessageContaining("does not fit");
        byte[] cutInMdat = file(Layout.MOOV_FIRST_MDAT_TO_END, "avc1", true);
        ByteBuf mdat = Unpooled.wrappedBuffer(cutInMdat);
        mdat.setInt(indexOf(cutInMdat, "mdat") - 4, cutInMdat.length - indexOf(cutInMdat, "mdat") + 4 - 2);
        assertThatThrownBy(() -> Mp4Demuxer.open(source(Arrays.copyOf(cutInMdat, cutInMdat.length - 2))))
            .isInstanceOf(IOException.class).hasMessageContaining("lies beyond the file");
    }

    @Test
    void aFileWithoutMoovFails() {
        byte[] file = file(Layout.MOOV_LAST_64_BIT_MDAT, "avc1", true);
        assertThatThrownBy(() -> Mp4Demuxer.open(source(Arrays.copyOf(file, indexOf(file, "moov") - 4))))
            .isInstanceOf(IOException.class).hasMessageContaining("no moov");
    }

    @Test
    void aBoxLargerThanTheFileOrAMoovBeyondTheBoundFails() {
        byte[] file = file(Layout.MOOV_LAST_64_BIT_MDAT, "avc1", true);
        Unpooled.wrappedBuffer(file).setLong(indexOf(file, "mdat") + 4, 1L << 62);
        assertThatThrownBy(() -> Mp4Demuxer.open(source(file)))
            .isInstanceOf(IOException.class).hasMessageContaining("mdat box at").hasMessageContaining("does not fit");
        ByteBuf hugeMoov = Unpooled.buffer().writeInt(16).writeBytes(ascii("ftypisom")).writeInt(0)
            .writeInt(Mp4Demuxer.MAX_MOOV + 1).writeBytes(ascii("moov"));
        SparseSource sparse = new SparseSource(1L << 30, new TreeMap<>(Map.of(0L, ByteBufUtil.getBytes(hugeMoov))));
        assertThatThrownBy(() -> Mp4Demuxer.open(sparse))
            .isInstanceOf(IOException.class).hasMessageContaining("more than " + Mp4Demuxer.MAX_MOOV);
        assertThat(sparse.largestRead).isEqualTo(16);
    }

    @Test
    void moreSamplesThanTheBoundFailBeforeAnyTableIsMade() {
        byte[] file = file(Layout.MOOV_FIRST_MDAT_TO_END, "avc1", true);
        ByteBuf stsz = Unpooled.wrappedBuffer(file);
        int at = indexOf(file, "stsz") - 4;
        stsz.setInt(at + 12, 1).setInt(at + 16, SampleTable.MAX_SAMPLES + 1);
        assertThatThrownBy(() -> Mp4Demuxer.open(source(file))).isInstanceOf(IOException.class)
            .hasMessageContaining((SampleTable.MAX_SAMPLES + 1) + " samples, more than " + SampleTable.MAX_SAMPLES);
    }

    @Test
    void tablesThatDisagreeFail() {
        byte[] shortStts = file(Layout.MOOV_FIRST_MDAT_TO_END, "avc1", true);
        Unpooled.wrappedBuffer(shortStts).setInt(indexOf(shortStts, "stts") + 12, 2);
        assertThatThrownBy(() -> Mp4Demuxer.open(source(shortStts))).isInstanceOf(IOException.class)
            .hasMessageContaining("stts gives times to 2 of 3 samples");
        byte[] farChunk = file(Layout.MOOV_FIRST_MDAT_TO_END, "avc1", true);
        Unpooled.wrappedBuffer(farChunk).setInt(indexOf(farChunk, "stco") + 12, 1 << 30);
        assertThatThrownBy(() -> Mp4Demuxer.open(source(farChunk))).isInstanceOf(IOException.class)
            .hasMessageContaining("sample 0 of 3 bytes at " + (1 << 30) + " lies beyond the file");
        byte[] longTable = file(Layout.MOOV_FIRST_MDAT_TO_END, "avc1", true);
        Unpooled.wrappedBuffer(longTable).setInt(indexOf(longTable, "stss") + 8, 1 << 20);
        assertThatThrownBy(() -> Mp4Demuxer.open(source(longTable))).isInstanceOf(IOException.class)
            .hasMessageContaining("a stss of");
    }

    @Test
    void aFileWithNeitherVideoNorAudioFails() {
        byte[] file = file(Layout.MOOV_FIRST_MDAT_TO_END, "avc1", true);
        rename(file, "vide", "text");
        rename(file, "soun", "text");
        assertThatThrownBy(() -> Mp4Demuxer.open(source(file))).isInstanceOf(IOException.class)
            .hasMessageContaining("no H.264, HEVC or AAC track");
    }

    /**
     * Video of 3 samples at 0, 40, 80 ms (timescale 1000) with composition offsets 80, 120, 40 ms, sync samples 1 and
     * 3, and an edit from media time 80; audio of 2 samples at 0 and 23 ms.
     */
    private static byte[] file(Layout layout, String videoEntry, boolean audio) {
        int mdatHeader = layout == Layout.MOOV_LAST_64_BIT_MDAT ? 16 : 8;
        int moovSize = moov(0, videoEntry, audio).readableBytes();
        int mdatData = 16 + (layout == Layout.MOOV_FIRST_MDAT_TO_END ? moovSize : 0) + mdatHeader;
        ByteBuf out = Unpooled.buffer();
        out.writeInt(16).writeBytes(ascii("ftypisom")).writeInt(0);
        if (layout == Layout.MOOV_FIRST_MDAT_TO_END) {
            out.writeBytes(moov(mdatData, videoEntry, audio));
            out.writeInt(0).writeBytes(ascii("mdat"));
        } else {
            int size = mdatHeader + Arrays.stream(VIDEO).mapToInt(b -> b.length).sum()
                + Arrays.stream(AUDIO).mapToInt(b -> b.length).sum();
            out.writeInt(1).writeBytes(ascii("mdat")).writeLong(size);
        }
        Arrays.stream(VIDEO).forEach(out::writeBytes);
        Arrays.stream(AUDIO).forEach(out::writeBytes);
        if (layout == Layout.MOOV_LAST_64_BIT_MDAT) {
            out.writeBytes(moov(mdatData, videoEntry, audio));
        }
        return ByteBufUtil.getBytes(out);
    }

    private static ByteBuf moov(int mdatData, String videoEntry, boolean audio) {
        ByteBuf moov = Unpooled.buffer();
        box(moov, "moov", m -> {
            fullBox(m, "mvhd", 0, b -> b.writeInt(0).writeInt(0).writeInt(1000).writeInt(126).writeZero(80));
            trak(m, "vide", 1000, b -> visualEntry(b, videoEntry), VIDEO, mdatData,
                new int[] {80, 120, 40}, new int[] {1, 3}, 40, 80);
            if (audio) {
                int audioData = mdatData + Arrays.stream(VIDEO).mapToInt(b -> b.length).sum();
                trak(m, "soun", 1000, Mp4DemuxerTest::audioEntry, AUDIO, audioData, null, null, 23, -1);
            }
        });
        return moov;
    }

    private static void trak(ByteBuf moov, String handler, int timescale, Consumer<ByteBuf> entry, byte[][] samples,
            int chunk, int[] compositionOffsets, int[] sync, int delta, int mediaTime) {
        box(moov, "trak", trak -> {
            if (mediaTime >= 0) {
                box(trak, "edts", edts -> fullBox(edts, "elst", 0, b -> b.writeInt(1).writeInt(1000)
                    .writeInt(mediaTime).writeInt(0x10000)));
            }
            box(trak, "mdia", mdia -> {
                fullBox(mdia, "mdhd", 0, b -> b.writeInt(0).writeInt(0).writeInt(timescale).writeInt(0)
                    .writeInt(0));
                fullBox(mdia, "hdlr", 0, b -> b.writeInt(0).writeBytes(ascii(handler)).writeZero(13));
                box(mdia, "minf", minf -> box(minf, "stbl", stbl -> {
                    fullBox(stbl, "stsd", 0, b -> {
                        b.writeInt(1);
                        entry.accept(b);
                    });
                    fullBox(stbl, "stts", 0, b -> b.writeInt(1).writeInt(samples.length).writeInt(delta));
                    if (compositionOffsets != null) {
                        fullBox(stbl, "ctts", 0, b -> {
                            b.writeInt(compositionOffsets.length);
                            Arrays.stream(compositionOffsets).forEach(offset -> b.writeInt(1).writeInt(offset));
                        });
                    }
                    if (sync != null) {
                        fullBox(stbl, "stss", 0, b -> {
                            b.writeInt(sync.length);
                            Arrays.stream(sync).forEach(b::writeInt);
                        });
                    }
                    fullBox(stbl, "stsc", 0, b -> b.writeInt(1).writeInt(1).writeInt(samples.length).writeInt(1));
                    fullBox(stbl, "stsz", 0, b -> {
                        b.writeInt(0).writeInt(samples.length);
                        Arrays.stream(samples).forEach(sample -> b.writeInt(sample.length));
                    });
                    fullBox(stbl, "stco", 0, b -> b.writeInt(1).writeInt(chunk));
                }));
            });
        });
    }

    private static void visualEntry(ByteBuf stsd, String type) {
        box(stsd, type, b -> {
            b.writeZero(6).writeShort(1).writeZero(16).writeShort(640).writeShort(360).writeInt(0x480000)
                .writeInt(0x480000).writeInt(0).writeShort(1).writeZero(32).writeShort(0x18).writeShort(0xffff);
            box(b, type.equals("avc1") ? "avcC" : "hvcC", c -> c.writeBytes(type.equals("avc1") ? AVC_C : HVC_C));
        });
    }

    private static void audioEntry(ByteBuf stsd) {
        box(stsd, "mp4a", b -> {
            b.writeZero(6).writeShort(1).writeZero(8).writeShort(2).writeShort(16).writeInt(0).writeInt(44100 << 16);
            fullBox(b, "esds", 0, esds -> esds.writeByte(0x03).writeBytes(new byte[] {(byte) 0x80, (byte) 0x80,
                (byte) 0x80, 25}).writeShort(2).writeByte(0).writeByte(0x04).writeByte(17).writeByte(0x40)
                .writeByte(0x15).writeMedium(0).writeInt(0).writeInt(0).writeByte(0x05).writeByte(2).writeBytes(ASC)
                .writeByte(0x06).writeByte(1).writeByte(2));
        });
    }

    private static void box(ByteBuf out, String type, Consumer<ByteBuf> body) {
        int start = out.writerIndex();
        out.writeInt(0).writeBytes(ascii(type));
        body.accept(out);
        out.setInt(start, out.writerIndex() - start);
    }

    private static void fullBox(ByteBuf out, String type, int version, Consumer<ByteBuf> body) {
        box(out, type, b -> {
            b.writeInt(version << 24);
            body.accept(b);
        });
    }

    private static List<String> frames(Mp4Demuxer demuxer) throws IOException {
        List<String> frames = new ArrayList<>();
        for (MediaFrame frame = demuxer.next(); frame != null; frame = demuxer.next()) {
            String hex = ByteBufUtil.hexDump(frame.payload());
            int header = frame.header().dataOffset();
            frames.add(frame.kind() + "@" + frame.timestamp() + " " + hex.substring(0, 2 * header) + " "
                + hex.substring(2 * header));
            frame.release();
        }
        return frames;
    }

    private static List<String> hex(List<MediaFrame> frames) {
        List<String> hex = frames.stream().map(frame -> ByteBufUtil.hexDump(frame.payload())).toList();
        frames.forEach(MediaFrame::release);
        return hex;
    }

    private static void rename(byte[] file, String from, String to) {
        System.arraycopy(ascii(to), 0, file, indexOf(file, from), 4);
    }

    private static int indexOf(byte[] file, String type) {
        byte[] pattern = ascii(type);
        for (int i = 0; i + 4 <= file.length; i++) {
            if (Arrays.equals(file, i, i + 4, pattern, 0, 4)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no " + type);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static SparseSource source(byte[] file) {
        return new SparseSource(file.length, new TreeMap<>(Map.of(0L, file)));
    }

    /** A file of {@code size} bytes that are zero but for {@code segments}; remembers the largest read. */
    private static final class SparseSource implements ByteSource {
        private final long size;
        private final TreeMap<Long, byte[]> segments;
        int largestRead;

        SparseSource(long size, TreeMap<Long, byte[]> segments) {
            this.size = size;
            this.segments = segments;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public ByteBuf read(long position, int length) {
            int wanted = (int) Math.max(0, Math.min(length, size - position));
            largestRead = Math.max(largestRead, wanted);
            byte[] bytes = new byte[wanted];
            segments.forEach((start, segment) -> {
                for (int i = 0; i < wanted; i++) {
                    long at = position + i - start;
                    if (at >= 0 && at < segment.length) {
                        bytes[i] = segment[(int) at];
                    }
                }
            });
            return Unpooled.wrappedBuffer(bytes);
        }

        @Override
        public void close() {
        }
    }
}
