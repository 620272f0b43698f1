package onair.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import onair.flv.FlvDemuxer;
import onair.media.ByteSource;
import onair.media.FileByteSource;
import onair.media.FrameReader;
import onair.media.MediaFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * FlvDemuxer on FLV files ffmpeg 8 wrote (H.264 with and without B-frames, Enhanced RTMP HEVC; each as ffmpeg writes
 * it by default, without a keyframe index, and remuxed with {@code -flvflags add_keyframe_index}), against what
 * ffprobe reads from the same files: packets, decoder configurations, metadata and seek points.
 */
class FlvDemuxerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int PAST_THE_END = 1_000_000;
    private static final Map<Path, Path> INDEXED = new HashMap<>();

    /** One frame as ffprobe would report its packet. */
    private record Frame(String codecType, long dts, long pts, boolean keyframe, String dataHash) {

        static Frame of(MediaFrame frame) {
            int offset = frame.header().dataOffset();
            ByteBuf payload = frame.payload();
            String hash = md5(payload.slice(payload.readerIndex() + offset, payload.readableBytes() - offset));
            return new Frame(frame.isVideo() ? "video" : "audio", frame.timestamp(),
                frame.timestamp() + frame.header().compositionTime(), frame.isKeyframe(), hash);
        }
    }

    static Stream<Arguments> files() {
        List<Arguments> files = new ArrayList<>();
        Map<String, Supplier<Path>> media = Map.of("h264-aac", TestMedia::h264Aac360p,
            "h264-aac-bframes", TestMedia::h264Aac360pBFrames, "hevc-aac", TestMedia::hevcAac);
        media.forEach((name, file) -> {
            files.add(Arguments.of(name, (Supplier<Path>) file));
            Supplier<Path> indexed = () -> withKeyframeIndex(name, file.get());
            files.add(Arguments.of(name + "-keyframe-index", indexed));
        });
        return files.stream().sorted((a, b) -> a.get()[0].toString().compareTo(b.get()[0].toString()));
    }

    private static synchronized Path withKeyframeIndex(String name, Path file) {
        return INDEXED.computeIfAbsent(file, f -> remux(name, f));
    }

    private static Path remux(String name, Path file) {
        Path indexed = file.resolveSibling(file.getFileName().toString().replace(".flv", "-keyframe-index.flv"));
        Ffmpeg.run("remux-" + name, TIMEOUT, "-y", "-i", file.toString(), "-map", "0", "-c", "copy",
            "-flvflags", "add_keyframe_index", "-f", "flv", indexed.toString());
        return indexed;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void framesAreFfprobesPackets(String name, Supplier<Path> media) throws IOException {
        Path file = media.get();
        PacketList probed = PacketList.probe(file);
        try (FlvDemuxer demuxer = FlvDemuxer.open(FileByteSource.open(file))) {
            List<Frame> frames = drain(demuxer);

            assertSamePackets("video", probed.video(), frames.stream().filter(f -> f.codecType.equals("video"))
                .toList());
            assertSamePackets("audio", probed.audio(), frames.stream().filter(f -> f.codecType.equals("audio"))
                .toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void sequenceHeadersAreFfprobesExtradataAndMetadataDescribesTheFile(String name, Supplier<Path> media)
        throws IOException {
        Path file = media.get();
        String streams = Ffmpeg.probe("ffprobe-streams-" + name, TIMEOUT, "-show_streams", "-show_data_hash", "MD5",
            "-show_entries", "stream=codec_type,extradata_hash", "-of", "compact=p=0", file.toString());
        try (FlvDemuxer demuxer = FlvDemuxer.open(FileByteSource.open(file))) {
            List<MediaFrame> headers = demuxer.sequenceHeaders();
            List<String> described = headers.stream().map(h -> "codec_type=" + (h.isVideo() ? "video" : "audio")
                + "|extradata_hash=" + Frame.of(h).dataHash()).toList();
            headers.forEach(MediaFrame::release);

            assertThat(described).containsExactlyInAnyOrderElementsOf(streams.lines()
                .map(line -> line.replaceAll("\\|disposition.*", "")).toList()).hasSize(2);
            Map<String, Object> metadata = demuxer.metadata();
            assertThat((Double) metadata.get("duration")).isCloseTo(6.0, within(0.2));
            assertThat(demuxer.duration()).isCloseTo(6000, within(200));
            assertThat(metadata).containsEntry("width", 640.0).containsEntry("height", 360.0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void seekingLandsOnTheLastKeyframeAndReadsOnFromThere(String name, Supplier<Path> media) throws IOException {
        Path file = media.get();
        List<Packet> probed = PacketList.probe(file).packets();
        try (FlvDemuxer demuxer = FlvDemuxer.open(FileByteSource.open(file))) {
            for (int ms : new int[] {3000, PAST_THE_END, 1000}) {
                int keyframe = lastKeyframeAtOrBefore(probed, ms);
                Packet expected = probed.get(keyframe);

                assertThat(demuxer.seek(ms)).as("seek(%d)", ms).isEqualTo((int) expected.dts());
                assertSamePackets("after seek(" + ms + ")", probed.subList(keyframe, probed.size()), drain(demuxer));
            }
            assertThat(demuxer.seek(0)).isZero();
            assertSamePackets("after seek(0)", probed, drain(demuxer));
        }
    }

    @Test
    void aKeyframeIndexSparesTheScanOfTheWholeFile() throws IOException {
        Path plain = TestMedia.h264Aac360p();
        Path indexed = withKeyframeIndex("h264-aac", plain);

        assertThat(bytesReadToOpen(plain)).as("bytes read to open %s", plain)
            .isGreaterThan(Files.size(plain) * 9 / 10);
        assertThat(bytesReadToOpen(indexed)).as("bytes read to open %s", indexed)
            .isLessThan(Files.size(indexed) / 10);
    }

    private static long bytesReadToOpen(Path file) throws IOException {
        long[] furthest = {0};
        FileByteSource source = FileByteSource.open(file);
        ByteSource counting = new ByteSource() {
            @Override
            public long size() throws IOException {
                return source.size();
            }

            @Override
            public ByteBuf read(long position, int length) throws IOException {
                ByteBuf bytes = source.read(position, length);
                furthest[0] = Math.max(furthest[0], position + bytes.readableBytes());
                return bytes;
            }

            @Override
            public void close() throws IOException {
                source.close();
            }
        };
        FlvDemuxer.open(counting).close();
        return furthest[0];
    }

    private static int lastKeyframeAtOrBefore(List<Packet> packets, int ms) {
        int found = -1;
        for (int i = 0; i < packets.size(); i++) {
            if (packets.get(i).video() && packets.get(i).keyframe() && packets.get(i).dts() <= ms) {
                found = i;
            }
        }
        assertThat(found).as("a keyframe at or before %d ms", ms).isNotNegative();
        return found;
    }

    /** The frames up to the end, as packets; frames without coded data (an end of sequence) are left out as ffmpeg. */
    private static List<Frame> drain(FrameReader reader) throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (MediaFrame frame; (frame = reader.next()) != null; frame.release()) {
            int offset = frame.header().dataOffset();
            if (offset >= 0 && frame.size() > offset) {
                frames.add(Frame.of(frame));
            }
        }
        return frames;
    }

    private static void assertSamePackets(String what, List<Packet> probed, List<Frame> frames) {
        assertThat(frames).as("%s: frames for ffprobe's %d packets", what, probed.size()).hasSize(probed.size());
        for (int i = 0; i < probed.size(); i++) {
            Packet packet = probed.get(i);
            Frame frame = frames.get(i);
            String at = "%s[%d]: %s as %s".formatted(what, i, frame, packet);
            assertThat(frame.codecType).as(at).isEqualTo(packet.codecType());
            assertThat(frame.dataHash).as(at).isEqualTo(packet.dataHash());
            assertThat(frame.dts).as(at).isCloseTo(packet.dts(), within(1L));
            assertThat(frame.pts).as(at).isCloseTo(packet.pts(), within(1L));
            if (packet.video()) {
                assertThat(frame.keyframe).as(at).isEqualTo(packet.keyframe());
            }
        }
    }

    private static String md5(ByteBuf data) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(ByteBufUtil.getBytes(data));
            return "MD5:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
