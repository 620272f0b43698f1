package onair.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import onair.amf.EcmaArray;
import onair.rtmp.RtmpProtocolException;
import onair.media.MediaFrame;
import onair.rtmp.chunk.RawMessage;
import onair.rtmp.chunk.SharedChunks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RtmpMessageCodecTest {

    static final String FFMPEG_CONNECT = "020007636f6e6e656374 003ff0000000000000 03"
        + "0003617070 0200046c697665"
        + "000474797065 02000a6e6f6e70726976617465"
        + "0008666c617368566572 020023464d4c452f332e302028636f6d70617469626c653b204c61766636312e312e31303029"
        + "0005746355726c 02001a72746d703a2f2f3132372e302e302e313a313933352f6c697665"
        + "000009";

    /** One golden vector: the message and the chunk stream, timestamp, type, stream and payload it travels as. */
    record Vector(String name, RtmpMessage message, int chunkStreamId, int timestamp, int typeId, int streamId,
                  String payloadHex) {

        RawMessage raw() {
            return new RawMessage(chunkStreamId, timestamp, typeId, streamId, hex(payloadHex));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static Stream<Vector> goldenVectors() {
        return Stream.of(
            new Vector("Set Chunk Size 4096", new SetChunkSize(4096), 2, 0, 1, 0, "00001000"),
            new Vector("Abort chunk stream 5", new Abort(5), 2, 0, 2, 0, "00000005"),
            new Vector("Acknowledgement of 2^32 - 1 bytes", new Acknowledgement(0xFFFFFFFFL), 2, 0, 3, 0, "ffffffff"),
            new Vector("Window Acknowledgement Size 2500000", new WindowAcknowledgementSize(2_500_000), 2, 0, 5, 0,
                "002625a0"),
            new Vector("Set Peer Bandwidth dynamic", new SetPeerBandwidth(2_500_000, SetPeerBandwidth.DYNAMIC), 2, 0, 6,
                0, "002625a0 02"),
            new Vector("Stream Begin 1", new UserControl(UserControl.Event.STREAM_BEGIN, 1), 2, 0, 4, 0,
                "0000 00000001"),
            new Vector("Stream EOF 1", new UserControl(UserControl.Event.STREAM_EOF, 1), 2, 0, 4, 0, "0001 00000001"),
            new Vector("Stream Dry 1", new UserControl(UserControl.Event.STREAM_DRY, 1), 2, 0, 4, 0, "0002 00000001"),
            new Vector("Set Buffer Length 3000 ms on stream 1", UserControl.setBufferLength(1, 3000), 2, 0, 4, 0,
                "0003 00000001 00000bb8"),
            new Vector("Stream Is Recorded 1", new UserControl(UserControl.Event.STREAM_IS_RECORDED, 1), 2, 0, 4, 0,
                "0004 00000001"),
            new Vector("Ping Request", UserControl.pingRequest(0x12345678), 2, 0, 4, 0, "0006 12345678"),
            new Vector("Ping Response", UserControl.pingResponse(0x12345678), 2, 0, 4, 0, "0007 12345678"),
            new Vector("audio", new MediaMessage(1, 40, MediaMessage.AUDIO, hex("af01 2110")), 6, 40, 8, 1, "af012110"),
            new Vector("video", new MediaMessage(1, 0xFFFFFFF0, MediaMessage.VIDEO, hex("1701000000 0102")), 7,
                0xFFFFFFF0, 9, 1, "17010000000102"),
            new Vector("@setDataFrame onMetaData", new DataMessage(1, 0,
                List.of("@setDataFrame", "onMetaData",
                    new EcmaArray(object("duration", 0.0, "encoder", "Lavf61.1.100")))), 5, 0, 18, 1,
                "02000d40736574446174614672616d65 02000a6f6e4d65746144617461 0800000002"
                    + "00086475726174696f6e 000000000000000000"
                    + "0007656e636f646572 02000c4c61766636312e312e313030 000009"),
            new Vector("ffmpeg connect", new CommandMessage(0, 0, "connect", 1, object("app", "live",
                "type", "nonprivate", "flashVer", "FMLE/3.0 (compatible; Lavf61.1.100)",
                "tcUrl", "rtmp://127.0.0.1:1935/live"), List.of()), 3, 0, 20, 0, FFMPEG_CONNECT),
            new Vector("onStatus NetStream.Publish.Start", CommandMessage.onStatus(1, "status",
                "NetStream.Publish.Start", "live/stream is now published."), 3, 0, 20, 1,
                "0200086f6e537461747573 000000000000000000 05 03"
                    + "00056c6576656c 020006737461747573"
                    + "0004636f6465 0200174e657453747265616d2e5075626c6973682e5374617274"
                    + "000b6465736372697074696f6e 02001d6c6976652f73747265616d206973206e6f77207075626c69736865642e"
                    + "000009"),
            new Vector("_result of createStream", CommandMessage.result(2, null, 1.0), 3, 0, 20, 0,
                "0200075f726573756c74 004000000000000000 05 003ff0000000000000"),
            new Vector("_error", CommandMessage.error(3, null, (Object) null), 3, 0, 20, 0,
                "0200065f6572726f72 004008000000000000 05 05"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenVectors")
    void decodeTurnsTheGoldenPayloadIntoTheMessage(Vector vector) {
        RawMessage raw = vector.raw();
        List<RtmpMessage> decoded = RtmpMessageCodec.decode(raw);
        try {
            assertThat(decoded).containsExactly(vector.message());
            assertThat(String.valueOf(decoded.getFirst())).isEqualTo(String.valueOf(vector.message()));
        } finally {
            decoded.forEach(ReferenceCountUtil::release);
            ReferenceCountUtil.release(vector.message());
            raw.release();
        }
        assertThat(raw.refCnt()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenVectors")
    void encodeTurnsTheMessageIntoTheGoldenPayload(Vector vector) {
        RawMessage raw = RtmpMessageCodec.encode(vector.message(), ByteBufAllocator.DEFAULT);
        try {
            assertThat(raw.chunkStreamId()).isEqualTo(vector.chunkStreamId());
            assertThat(raw.timestamp()).isEqualTo(vector.timestamp());
            assertThat(raw.typeId()).isEqualTo(vector.typeId());
            assertThat(raw.streamId()).isEqualTo(vector.streamId());
            assertThat(ByteBufUtil.hexDump(raw.content())).isEqualTo(vector.payloadHex().replace(" ", ""));
        } finally {
            raw.release();
            ReferenceCountUtil.release(vector.message());
        }
        assertThat(raw.refCnt()).isZero();
    }

    static Stream<Arguments> decodeOnlyVectors() {
        return Stream.of(
            arguments("AMF3 connect command with an avmplus object", 17,
                "00 020007636f6e6e656374 003ff0000000000000 11 0a0b01 07617070 06096c697665 01",
                new CommandMessage(0, 0, "connect", 1, object("app", "live"), List.of())),
            arguments("AMF3 onMetaData with an avmplus object", 15,
                "00 02000a6f6e4d65746144617461 11 0a0b01 0b7769647468 048a00 01",
                new DataMessage(0, 0, List.of("onMetaData", object("width", 1280.0)))),
            arguments("command without a transaction id", 20, "02000474657374",
                new CommandMessage(0, 0, "test", 0, null, List.of())),
            arguments("command with several arguments", 20,
                "020004706c6179 000000000000000000 05 02000673747265616d 00c000000000000000 05",
                new CommandMessage(0, 0, "play", 0, null, Arrays.asList("stream", -2.0, null))),
            arguments("SWF verification request, an unknown user control event", 4, "001a",
                new UserControl(UserControl.Event.UNKNOWN, 0)),
            arguments("control message with bytes to spare", 1, "00000080 00",
                new SetChunkSize(128)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodeOnlyVectors")
    void decodeAcceptsWhatPeersSend(String name, int typeId, String hex, RtmpMessage message) {
        RawMessage raw = new RawMessage(3, 0, typeId, 0, hex(hex));
        try {
            assertThat(RtmpMessageCodec.decode(raw)).containsExactly(message);
        } finally {
            raw.release();
        }
    }

    @Test
    void aggregateIsSplitIntoItsSubMessagesWithTimestampsRelativeToTheAggregate() {
        String aggregate = ""
            + "09 000003 fffff0 00 000001 170100 0000000e"
            + "08 000002 000010 01 000001 af01 0000000d"
            + "12 000007 000030 01 000001 02000474657374 00000012"
            + "13 000001 000030 01 000001 00 0000000c";
        RawMessage raw = new RawMessage(4, 1000, 22, 1, hex(aggregate));
        List<RtmpMessage> messages = RtmpMessageCodec.decode(raw);
        raw.release();
        try {
            assertThat(messages).hasSize(3);
            MediaMessage video = (MediaMessage) messages.get(0);
            MediaMessage audio = (MediaMessage) messages.get(1);
            assertThat(video.isVideo()).isTrue();
            assertThat(video.timestamp()).isEqualTo(1000);
            assertThat(video.streamId()).isEqualTo(1);
            assertThat(ByteBufUtil.hexDump(video.payload())).isEqualTo("170100");
            assertThat(audio.isAudio()).isTrue();
            assertThat(audio.timestamp()).isEqualTo(1000 + 0x20);
            assertThat(ByteBufUtil.hexDump(audio.payload())).isEqualTo("af01");
            assertThat(messages.get(2)).isEqualTo(new DataMessage(1, 1000 + 0x40, List.of("test")));
            assertThat(raw.refCnt()).as("the sub-message bodies are retained slices of the aggregate").isEqualTo(2);
        } finally {
            messages.forEach(ReferenceCountUtil::release);
        }
        assertThat(raw.refCnt()).isZero();
    }

    @Test
    void mediaPayloadIsSharedNotCopiedInBothDirections() {
        RawMessage raw = new RawMessage(7, 0, 9, 1, hex("17 01 000000"));
        MediaMessage decoded = (MediaMessage) RtmpMessageCodec.decode(raw).getFirst();
        raw.release();
        assertThat(decoded.refCnt()).isEqualTo(1);
        assertThat(decoded.payload().array()).isSameAs(raw.content().array());

        RawMessage encoded = RtmpMessageCodec.encode(decoded, ByteBufAllocator.DEFAULT);
        assertThat(decoded.refCnt()).isEqualTo(2);
        decoded.release();
        encoded.release();
        assertThat(decoded.refCnt()).isZero();
    }

    static Stream<Arguments> malformedVectors() {
        return Stream.of(
            arguments("truncated Set Chunk Size", 1, "0000", "Set Chunk Size"),
            arguments("Set Chunk Size with the top bit set", 1, "80000000", "Set Chunk Size"),
            arguments("Set Chunk Size of 0", 1, "00000000", "Set Chunk Size"),
            arguments("truncated Abort", 2, "000005", "Abort"),
            arguments("truncated Acknowledgement", 3, "", "Acknowledgement"),
            arguments("truncated Window Acknowledgement Size", 5, "0026", "Window Acknowledgement Size"),
            arguments("Set Peer Bandwidth without a limit type", 6, "002625a0", "Set Peer Bandwidth"),
            arguments("Set Peer Bandwidth with limit type 3", 6, "002625a0 03", "Set Peer Bandwidth"),
            arguments("User Control without an event type", 4, "00", "User Control"),
            arguments("Set Buffer Length without the buffer length", 4, "0003 00000001", "User Control"),
            arguments("truncated Ping Request", 4, "0006 0000", "User Control"),
            arguments("command that does not start with a name", 20, "003ff0000000000000", "AMF0 command"),
            arguments("empty command", 20, "", "AMF0 command"),
            arguments("command with a string transaction id", 20, "020001 61 020001 62", "AMF0 command"),
            arguments("command with a truncated object", 20, "020001 61 003ff0000000000000 03 0001", "AMF0 command"),
            arguments("AMF3 command with an unknown AMF3 marker", 17, "00 020001 61 11 7f", "AMF3 command"),
            arguments("data with a string longer than the payload", 18, "02 0010 61", "AMF0 data"),
            arguments("aggregate with a truncated tag header", 22, "09 000003", "aggregate"),
            arguments("aggregate with a body beyond the payload", 22, "09 000010 000000 00 000000 aa", "aggregate"),
            arguments("aggregate without a back pointer", 22, "09 000001 000000 00 000000 aa", "aggregate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedVectors")
    void decodeRejectsMalformedPayloadsNamingTheMessageType(String name, int typeId, String hex, String typeName) {
        RawMessage raw = new RawMessage(3, 0, typeId, 0, hex(hex));
        try {
            assertThatThrownBy(() -> RtmpMessageCodec.decode(raw))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining(typeName);
        } finally {
            raw.release();
        }
        assertThat(raw.refCnt()).isZero();
    }

    @Test
    void aggregateThatFailsHalfwayReleasesTheSubMessagesAlreadySplitOff() {
        RawMessage raw = new RawMessage(4, 0, 22, 1, hex("09 000001 000000 00 000000 aa 0000000c  08 0000"));
        assertThatThrownBy(() -> RtmpMessageCodec.decode(raw)).isInstanceOf(RtmpProtocolException.class);
        raw.release();
        assertThat(raw.refCnt()).isZero();
    }

    @Test
    void pipelineDecodesRawMessagesIntoTypedMessages() {
        EmbeddedChannel channel = new EmbeddedChannel(new RtmpMessageCodec());
        channel.writeInbound(new RawMessage(3, 0, 20, 0, hex(FFMPEG_CONNECT)));
        CommandMessage connect = channel.readInbound();
        assertThat(connect.name()).isEqualTo("connect");
        assertThat(connect.transactionId()).isEqualTo(1.0);
        assertThat(((Map<?, ?>) connect.commandObject()).get("tcUrl")).isEqualTo("rtmp://127.0.0.1:1935/live");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void pipelineEncodesTypedMessagesIntoRawMessages() {
        EmbeddedChannel channel = new EmbeddedChannel(new RtmpMessageCodec());
        MediaMessage audio = new MediaMessage(1, 20, MediaMessage.AUDIO, hex("af01"));
        channel.writeOutbound(new WindowAcknowledgementSize(5_000_000), audio);
        RawMessage control = channel.readOutbound();
        RawMessage media = channel.readOutbound();
        try {
            assertThat(control.chunkStreamId()).isEqualTo(2);
            assertThat(ByteBufUtil.hexDump(control.content())).isEqualTo("004c4b40");
            assertThat(media.chunkStreamId()).isEqualTo(6);
            assertThat(media.timestamp()).isEqualTo(20);
            assertThat(ByteBufUtil.hexDump(media.content())).isEqualTo("af01");
        } finally {
            control.release();
            media.release();
        }
        assertThat(audio.refCnt()).isZero();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void sharedChunksPassThroughToTheChunkLayerUntouched() {
        EmbeddedChannel channel = new EmbeddedChannel(new RtmpMessageCodec());
        MediaFrame frame = MediaFrame.of(MediaFrame.Kind.AUDIO, 20, hex("af01"));
        SharedChunks chunks = SharedChunks.of(frame, ChunkStreams.AUDIO, 1);
        channel.writeOutbound(chunks);
        assertThat(channel.<Object>readOutbound()).isSameAs(chunks);
        assertThat(frame.refCnt()).isEqualTo(1);
        chunks.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void pipelineDropsAndReleasesMessagesOfUnknownType() {
        EmbeddedChannel channel = new EmbeddedChannel(new RtmpMessageCodec());
        RawMessage sharedObject = new RawMessage(3, 0, 19, 0, hex("0001 61"));
        assertThat(channel.writeInbound(sharedObject)).isFalse();
        assertThat(sharedObject.refCnt()).isZero();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void pipelineRaisesProtocolExceptionForMalformedPayloadAndReleasesIt() {
        EmbeddedChannel channel = new EmbeddedChannel(new RtmpMessageCodec());
        RawMessage truncated = new RawMessage(2, 0, 1, 0, hex("00"));
        assertThatThrownBy(() -> channel.writeInbound(truncated)).isInstanceOf(RtmpProtocolException.class)
            .hasMessageContaining("Set Chunk Size");
        assertThat(truncated.refCnt()).isZero();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void unknownUserControlEventCannotBeSent() {
        assertThatThrownBy(() -> RtmpMessageCodec.encode(new UserControl(UserControl.Event.UNKNOWN, 0),
            ByteBufAllocator.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commandWithAValueAmf0CannotCarryIsRejectedWithoutLeakingTheBuffer() {
        CommandMessage bad = new CommandMessage(0, 0, "x", 1, new Object(), List.of());
        assertThatThrownBy(() -> RtmpMessageCodec.encode(bad, ByteBufAllocator.DEFAULT))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void protocolControlMessagesTravelOnStreamZeroAtTimeZero() {
        assertThat(new SetChunkSize(128).streamId()).isZero();
        assertThat(UserControl.setBufferLength(7, 100).timestamp()).isZero();
        assertThat(UserControl.setBufferLength(7, 100).eventData()).isEqualTo(7);
    }

    static ByteBuf hex(String hex) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        return Unpooled.buffer(bytes.length).writeBytes(bytes);
    }
}
