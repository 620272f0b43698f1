package onair.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import onair.media.MediaFrame;
import onair.testing.TrackingAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ChunkEncoderTest {

    private static final int[] CHUNK_STREAM_IDS = {3, 4, 6, 63, 64, 319, 320, 65599};

    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void everyBufferWasReleased() {
        assertThat(alloc.unreleased()).isEmpty();
    }

    static Stream<Arguments> vectors() {
        return Stream.of(
            arguments("small message", 3, 100, 20, 0, "0102030405", "03 000064 000005 14 00000000 0102030405"),
            arguments("stream id little-endian", 4, 0, 9, 0x01020304, "aa", "04 000000 000001 09 04030201 aa"),
            arguments("zero-length message", 3, 7, 20, 0, "", "03 000007 000000 14 00000000"),
            arguments("csid 2", 2, 0, 20, 0, "ee", "02 000000 000001 14 00000000 ee"),
            arguments("csid 63", 63, 0, 20, 0, "ee", "3f 000000 000001 14 00000000 ee"),
            arguments("csid 64", 64, 0, 20, 0, "ee", "00 00 000000 000001 14 00000000 ee"),
            arguments("csid 319", 319, 0, 20, 0, "ee", "00 ff 000000 000001 14 00000000 ee"),
            arguments("csid 320", 320, 0, 20, 0, "ee", "01 00 01 000000 000001 14 00000000 ee"),
            arguments("csid 65599", 65599, 0, 20, 0, "ee", "01 ff ff 000000 000001 14 00000000 ee"),
            arguments("exactly one chunk", 3, 0, 9, 1, "128xaa", "03 000000 000080 09 01000000 128xaa"),
            arguments("continuation chunks", 6, 40, 9, 1, "128xaa 128xbb 1xcc",
                "06 000028 000101 09 01000000 128xaa c6 128xbb c6 cc"),
            arguments("continuation on a 3-byte basic header", 320, 0, 9, 1, "128xaa 2xbb",
                "01 00 01 000000 000082 09 01000000 128xaa c1 00 01 bbbb"),
            arguments("timestamp just below the marker", 4, 0xFFFFFE, 8, 1, "aa", "04 fffffe 000001 08 01000000 aa"),
            arguments("extended timestamp repeated on continuations", 4, 0xFFFFFF, 8, 1, "128xaa 2xbb",
                "04 ffffff 000082 08 01000000 00ffffff 128xaa c4 00ffffff bbbb"),
            arguments("extended timestamp above 2^31", 4, 0x80000001, 8, 1, "aa",
                "04 ffffff 000001 08 01000000 80000001 aa"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encodesGoldenVectors(String name, int csid, int timestamp, int type, int msid, String payload, String expected) {
        EmbeddedChannel channel = channel();
        channel.writeOutbound(new RawMessage(csid, timestamp, type, msid, alloc.wrap(Hex.bytes(payload))));
        ByteBuf encoded = channel.readOutbound();
        assertThat(ByteBufUtil.hexDump(encoded)).isEqualTo(ByteBufUtil.hexDump(Hex.bytes(expected)));
        encoded.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void staticEncodeEqualsPipelineEncode(String name, int csid, int timestamp, int type, int msid, String payload,
                                          String expected) {
        ByteBuf buf = alloc.wrap(Hex.bytes(payload));
        ByteBuf encoded = ChunkEncoder.encode(alloc, csid, timestamp, type, msid, buf, 128);
        assertThat(buf.readableBytes()).isEqualTo(Hex.bytes(payload).length);
        assertThat(ByteBufUtil.hexDump(encoded)).isEqualTo(ByteBufUtil.hexDump(Hex.bytes(expected)));
        encoded.release();
        buf.release();
    }

    @Test
    void setChunkSizeAppliesToTheMessagesAfterIt() {
        EmbeddedChannel channel = channel();
        channel.writeOutbound(new RawMessage(2, 0, 1, 0, alloc.wrap(Hex.bytes("00000100"))));
        channel.writeOutbound(new RawMessage(3, 0, 9, 1, alloc.wrap(Hex.bytes("256xaa 44xbb"))));
        assertThat(hexOf(channel)).containsExactly(
            ByteBufUtil.hexDump(Hex.bytes("02 000000 000004 01 00000000 00000100")),
            ByteBufUtil.hexDump(Hex.bytes("03 000000 00012c 09 01000000 256xaa c3 44xbb")));
        assertThat(channel.pipeline().get(ChunkEncoder.class).chunkSize()).isEqualTo(256);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void sharedChunksAreCutWithTheChunkSizeTheEncoderSentLast() {
        EmbeddedChannel channel = channel();
        channel.writeOutbound(new RawMessage(2, 0, 1, 0, alloc.wrap(Hex.bytes("00000100"))));
        MediaFrame frame = videoFrame();
        channel.writeOutbound(SharedChunks.of(frame, 7, 1));
        assertThat(hexOf(channel)).containsExactly(
            ByteBufUtil.hexDump(Hex.bytes("02 000000 000004 01 00000000 00000100")),
            ByteBufUtil.hexDump(Hex.bytes("07 000028 00012c 09 01000000 2701 000000 251xaa c7 44xbb")));
        assertThat(frame.refCnt()).isZero();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void encodersWithOneChunkSizeShareOneEncodingOfAFrameAndAnotherSizeGetsItsOwn() {
        EmbeddedChannel first = channel();
        EmbeddedChannel second = channel();
        EmbeddedChannel larger = channel();
        larger.writeOutbound(new RawMessage(2, 0, 1, 0, alloc.wrap(Hex.bytes("00000100"))));
        larger.<ByteBuf>readOutbound().release();
        MediaFrame frame = videoFrame();
        first.writeOutbound(SharedChunks.of(frame.retain(), 7, 1));
        second.writeOutbound(SharedChunks.of(frame.retain(), 7, 1));
        larger.writeOutbound(SharedChunks.of(frame.retain(), 7, 1));
        ByteBuf fromFirst = first.readOutbound();
        ByteBuf fromSecond = second.readOutbound();
        ByteBuf fromLarger = larger.readOutbound();

        ByteBuf shared = root(fromFirst);
        assertThat(root(fromSecond)).isSameAs(shared);
        assertThat(shared.refCnt()).as("held by the frame and by both writes").isEqualTo(3);
        assertThat(root(fromLarger)).isNotSameAs(shared);
        assertThat(root(fromLarger).refCnt()).as("held by the frame and by its write").isEqualTo(2);
        fromFirst.setByte(12, 0x55);
        assertThat(fromSecond.getByte(12)).isEqualTo((byte) 0x55);
        assertThat(fromLarger.getByte(12)).isEqualTo((byte) 0x27);
        assertThat(ByteBufUtil.hexDump(fromSecond)).isEqualTo(ByteBufUtil.hexDump(
            Hex.bytes("07 000028 00012c 09 01000000 55 01 000000 123xaa c7 128xaa c7 44xbb")));

        frame.release();
        assertThat(shared.refCnt()).isEqualTo(2);
        fromFirst.release();
        fromSecond.release();
        fromLarger.release();
        assertThat(frame.refCnt()).isZero();
        assertThat(first.finishAndReleaseAll()).isFalse();
        assertThat(second.finishAndReleaseAll()).isFalse();
        assertThat(larger.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"00000000", "80000000"})
    void rejectsInvalidOutgoingChunkSize(String size) {
        EmbeddedChannel channel = channel();
        assertThatThrownBy(() -> channel.writeOutbound(new RawMessage(2, 0, 1, 0, alloc.wrap(Hex.bytes(size)))))
            .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat(channel.pipeline().get(ChunkEncoder.class).chunkSize()).isEqualTo(128);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void outputSharesThePayloadInsteadOfCopyingIt() {
        ByteBuf payload = alloc.wrap(Hex.bytes("200xaa"));
        CompositeByteBuf encoded = (CompositeByteBuf) ChunkEncoder.encode(alloc, 3, 0, 9, 1, payload, 128);
        payload.setByte(0, 0x11).setByte(199, 0x22);
        assertThat(encoded.getByte(12)).isEqualTo((byte) 0x11);
        assertThat(encoded.getByte(encoded.writerIndex() - 1)).isEqualTo((byte) 0x22);
        payload.release();
        assertThat(encoded.getByte(12)).isEqualTo((byte) 0x11);
        encoded.release();
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 129, 1000, 4096, 60000, 65536})
    void roundTripsThroughTheDecoder(int chunkSize) {
        Random random = new Random(chunkSize);
        EmbeddedChannel encoder = channel();
        EmbeddedChannel decoder = new EmbeddedChannel();
        decoder.config().setAllocator(alloc);
        decoder.pipeline().addLast(new ChunkDecoder());

        List<RawMessage> sent = new ArrayList<>();
        sent.add(new RawMessage(2, 0, 1, 0, alloc.buffer(4).writeInt(chunkSize)));
        for (int i = 0; i < 40; i++) {
            byte[] payload = new byte[random.nextInt(i % 10 == 0 ? 300_000 : 3000)];
            random.nextBytes(payload);
            int timestamp = random.nextBoolean() ? random.nextInt(0x1000000) : random.nextInt();
            sent.add(new RawMessage(CHUNK_STREAM_IDS[random.nextInt(CHUNK_STREAM_IDS.length)], timestamp, 8 + random.nextInt(2), random.nextInt(3),
                alloc.wrap(payload)));
        }
        List<String> expected = new ArrayList<>();
        for (RawMessage message : sent) {
            expected.add(describe(message));
            encoder.writeOutbound(message);
        }
        for (ByteBuf chunks; (chunks = encoder.readOutbound()) != null; ) {
            decoder.writeInbound(chunks);
        }
        List<String> received = new ArrayList<>();
        for (RawMessage message; (message = decoder.readInbound()) != null; ) {
            received.add(describe(message));
            message.release();
        }
        assertThat(received).isEqualTo(expected);
        assertThat(encoder.finishAndReleaseAll()).isFalse();
        assertThat(decoder.finishAndReleaseAll()).isFalse();
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChunkEncoder());
        return channel;
    }

    /** A 300-byte AVC inter frame at 40 ms. */
    private MediaFrame videoFrame() {
        return MediaFrame.of(MediaFrame.Kind.VIDEO, 40, alloc.wrap(Hex.bytes("2701 000000 251xaa 44xbb")));
    }

    /** The buffer {@code buf} is a view of, through leak-detection wrappers and derived buffers. */
    private static ByteBuf root(ByteBuf buf) {
        while (buf.unwrap() != null) {
            buf = buf.unwrap();
        }
        return buf;
    }

    private static String describe(RawMessage message) {
        return message + " " + ByteBufUtil.hexDump(message.content());
    }

    private static List<String> hexOf(EmbeddedChannel channel) {
        List<String> hex = new ArrayList<>();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            hex.add(ByteBufUtil.hexDump(buf));
            buf.release();
        }
        return hex;
    }
}
