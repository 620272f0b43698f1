package onair.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import onair.media.Codec;
import onair.media.MediaFrame;
import onair.rtmp.chunk.ChunkDecoder;
import onair.rtmp.handshake.HandshakeHandler;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.DataMessage;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.ProtocolControlMessage;
import onair.rtmp.message.RtmpMessage;
import onair.rtmp.message.RtmpMessageCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CaptureReplayTest {

    private static final int PACKET_SIZE = 1536;
    private static final int ONAIR_S1_VERSION = 0x0D0E0A0D;
    private static final int FRAME_MILLIS = 100;
    private static final List<String> COMMANDS = List.of(
        "connect app=live",
        "SetChunkSize[chunkSize=4000]",
        "releaseStream capture",
        "FCPublish capture",
        "createStream",
        "publish capture live",
        "data @setDataFrame onMetaData",
        "FCUnpublish capture",
        "deleteStream 1.0");

    /** What one capture holds: 2 s at 10 fps with a keyframe every 10 frames, and 22050 Hz mono AAC. */
    record Capture(String file, Codec videoCodec, boolean metadataPacket, int codedFrames, int keyframes,
                   boolean endOfSequence, int audioFrames) {
    }

    static Stream<Arguments> replays() {
        List<Capture> captures = List.of(
            new Capture("ffmpeg8-publish-h264.bin", Codec.H264, false, 20, 2, true, 45),
            new Capture("ffmpeg8-publish-hevc.bin", Codec.HEVC, true, 20, 2, false, 45));
        return captures.stream().flatMap(capture -> Stream.of(1, 7, 1000).map(slice -> arguments(capture, slice)));
    }

    @ParameterizedTest(name = "{0} fed in {1}-byte slices decodes to ffmpeg''s publish sequence")
    @MethodSource("replays")
    void replaysFfmpegPublishing(Capture capture, int slice) {
        byte[] bytes = read(capture.file());
        EmbeddedChannel channel =
            new EmbeddedChannel(new HandshakeHandler(), new ChunkDecoder(), new RtmpMessageCodec());
        List<ByteBuf> fed = new ArrayList<>();
        List<String> sequence = new ArrayList<>();
        List<MediaFrame> frames = new ArrayList<>();
        try {
            for (int offset = 0; offset < bytes.length; offset += slice) {
                int length = Math.min(slice, bytes.length - offset);
                ByteBuf part = channel.alloc().buffer(length).writeBytes(bytes, offset, length);
                fed.add(part);
                channel.writeInbound(part);
                for (Object message; (message = channel.readInbound()) != null; ) {
                    record(message, sequence, frames);
                }
            }

            assertHandshake(bytes, channel);
            assertThat(sequence.stream().filter(entry -> !entry.equals("media"))).isEqualTo(COMMANDS);
            assertThat(sequence.subList(sequence.indexOf("data @setDataFrame onMetaData") + 1,
                sequence.indexOf("FCUnpublish capture"))).containsOnly("media");
            assertVideo(capture, frames.stream().filter(MediaFrame::isVideo).toList());
            assertAudio(capture, frames.stream().filter(MediaFrame::isAudio).toList());
        } finally {
            frames.forEach(MediaFrame::release);
            for (Object reply; (reply = channel.readOutbound()) != null; ) {
                ReferenceCountUtil.release(reply);
            }
        }
        assertThat(channel.finish()).isFalse();
        assertThat(fed).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        assertThat(frames).allSatisfy(frame -> assertThat(frame.payload().refCnt()).isZero());
    }

    private static void assertHandshake(byte[] capture, EmbeddedChannel channel) {
        assertThat(capture[0]).as("C0").isEqualTo((byte) 3);
        assertThat(ByteBuffer.wrap(capture, 1 + 4, 4).getInt()).as("C1 version: ffmpeg sends a digest C1").isNotZero();
        ByteBuf reply = channel.readOutbound();
        try {
            assertThat(reply.readableBytes()).as("S0 S1 S2").isEqualTo(1 + 2 * PACKET_SIZE);
            assertThat(reply.getInt(1 + 4)).as("S1 version: the digest reply to a valid C1 digest")
                .isEqualTo(ONAIR_S1_VERSION);
        } finally {
            reply.release();
        }
    }

    private static void assertVideo(Capture capture, List<MediaFrame> video) {
        int extra = (capture.metadataPacket() ? 1 : 0) + (capture.endOfSequence() ? 1 : 0);
        assertThat(video).hasSize(1 + capture.codedFrames() + extra);
        assertThat(video.getFirst().isSequenceHeader()).as("first video is a sequence header").isTrue();
        assertThat(video).allSatisfy(frame -> assertThat(frame.header().codec()).isEqualTo(capture.videoCodec()));
        int first = 1;
        if (capture.metadataPacket()) {
            MediaFrame metadata = video.get(first++);
            assertThat(metadata.payload().getByte(0)).as("ExVideoTagHeader").isEqualTo((byte) 0xd4);
            assertThat(metadata.isKeyframe() || metadata.isDroppable() || metadata.isSequenceHeader()).isFalse();
        }
        if (capture.endOfSequence()) {
            ByteBuf end = video.getLast().payload();
            assertThat(ByteBufUtil.hexDump(end)).as("AVC end of sequence").isEqualTo("1702000000");
        }
        List<MediaFrame> coded = video.subList(first, first + capture.codedFrames());
        assertThat(coded.getFirst().isKeyframe()).isTrue();
        assertThat(coded.stream().filter(MediaFrame::isKeyframe)).hasSize(capture.keyframes());
        assertThat(coded.stream().filter(MediaFrame::isDroppable)).hasSize(capture.codedFrames() - capture.keyframes());
        int start = coded.getFirst().timestamp();
        assertThat(coded.stream().map(MediaFrame::timestamp)).as("a frame every 100 ms")
            .isEqualTo(IntStream.range(0, capture.codedFrames()).map(i -> start + i * FRAME_MILLIS).boxed().toList());
    }

    private static void assertAudio(Capture capture, List<MediaFrame> audio) {
        assertThat(audio).hasSize(1 + capture.audioFrames());
        assertThat(audio.getFirst().isSequenceHeader()).as("first audio is the AAC sequence header").isTrue();
        assertThat(audio.subList(1, audio.size())).allSatisfy(frame -> {
            assertThat(frame.header().codec()).isEqualTo(Codec.AAC);
            assertThat(frame.isDroppable()).isTrue();
        });
        assertThat(audio.stream().map(MediaFrame::timestamp)).isSorted();
    }

    private static void record(Object message, List<String> sequence, List<MediaFrame> frames) {
        try {
            sequence.add(switch ((RtmpMessage) message) {
                case ProtocolControlMessage m -> m.toString();
                case CommandMessage m -> command(m);
                case DataMessage m -> "data " + m.values().get(0) + " " + m.values().get(1);
                case MediaMessage m -> {
                    MediaFrame.Kind kind = m.isVideo() ? MediaFrame.Kind.VIDEO : MediaFrame.Kind.AUDIO;
                    frames.add(MediaFrame.of(kind, m.timestamp(), m.payload().retain()));
                    yield "media";
                }
            });
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private static String command(CommandMessage command) {
        StringBuilder text = new StringBuilder(command.name());
        if (command.commandObject() instanceof Map<?, ?> object && object.containsKey("app")) {
            text.append(" app=").append(object.get("app"));
        }
        command.arguments().forEach(argument -> text.append(' ').append(argument));
        return text.toString();
    }

    private static byte[] read(String file) {
        try (InputStream in = CaptureReplayTest.class.getResourceAsStream("/captures/" + file)) {
            assertThat(in).as(file).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
