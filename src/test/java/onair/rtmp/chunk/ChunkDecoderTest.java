package onair.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import onair.rtmp.RtmpProtocolException;
import onair.testing.TrackingAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ChunkDecoderTest {

    record Expected(int csid, long timestamp, int type, int msid, String payload) {
        Expected {
            payload = ByteBufUtil.hexDump(Hex.bytes(payload));
        }
    }

    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void everyBufferWasReleased() {
        assertThat(alloc.unreleased()).isEmpty();
    }

    static Stream<Arguments> vectors() {
        String first = "04 0003e8 000002 08 01000000 aaaa ";
        return Stream.of(
            arguments("fmt 0", "03 000064 000005 14 00000000 0102030405",
                List.of(new Expected(3, 100, 20, 0, "0102030405"))),
            arguments("fmt 1 adds its delta and keeps the stream id", first + "44 000021 000003 09 bbbbbb",
                List.of(new Expected(4, 1000, 8, 1, "aaaa"), new Expected(4, 1033, 9, 1, "bbbbbb"))),
            arguments("fmt 2 keeps length and type", first + "84 000021 cccc",
                List.of(new Expected(4, 1000, 8, 1, "aaaa"), new Expected(4, 1033, 8, 1, "cccc"))),
            arguments("fmt 3 new message re-applies the last delta", first + "84 000021 cccc c4 dddd",
                List.of(new Expected(4, 1000, 8, 1, "aaaa"), new Expected(4, 1033, 8, 1, "cccc"),
                    new Expected(4, 1066, 8, 1, "dddd"))),
            arguments("fmt 3 after fmt 0 takes its timestamp as delta (5.3.1.2.4)", first + "c4 bbbb",
                List.of(new Expected(4, 1000, 8, 1, "aaaa"), new Expected(4, 2000, 8, 1, "bbbb"))),
            arguments("continuation chunk at chunk size 128", "03 000000 0000c8 09 01000000 128xaa c3 72xbb",
                List.of(new Expected(3, 0, 9, 1, "128xaa 72xbb"))),
            arguments("zero-length message", "03 000007 000000 14 00000000",
                List.of(new Expected(3, 7, 20, 0, ""))),
            arguments("basic header csid 2", "02 000000 000001 14 00000000 ee", List.of(new Expected(2, 0, 20, 0, "ee"))),
            arguments("basic header csid 63", "3f 000000 000001 14 00000000 ee", List.of(new Expected(63, 0, 20, 0, "ee"))),
            arguments("basic header csid 64", "00 00 000000 000001 14 00000000 ee", List.of(new Expected(64, 0, 20, 0, "ee"))),
            arguments("basic header csid 319", "00 ff 000000 000001 14 00000000 ee", List.of(new Expected(319, 0, 20, 0, "ee"))),
            arguments("basic header csid 320", "01 00 01 000000 000001 14 00000000 ee", List.of(new Expected(320, 0, 20, 0, "ee"))),
            arguments("basic header csid 65599", "01 ff ff 000000 000001 14 00000000 ee",
                List.of(new Expected(65599, 0, 20, 0, "ee"))),
            arguments("extended timestamp", "03 ffffff 000003 09 01000000 01000000 aabbcc",
                List.of(new Expected(3, 0x1000000, 9, 1, "aabbcc"))),
            arguments("extended timestamp repeated on continuation",
                "03 ffffff 000082 09 01000000 01000000 128xaa c3 01000000 bbbb",
                List.of(new Expected(3, 0x1000000, 9, 1, "128xaa bbbb"))),
            arguments("extended timestamp not repeated on continuation",
                "03 ffffff 000082 09 01000000 01000000 128xaa c3 bbbb",
                List.of(new Expected(3, 0x1000000, 9, 1, "128xaa bbbb"))),
            arguments("unrepeated continuation starting like the extended timestamp",
                "03 ffffff 000083 09 01000000 01000000 128xaa c3 0100bb",
                List.of(new Expected(3, 0x1000000, 9, 1, "128xaa 0100bb"))),
            arguments("fmt 3 new message after an extended timestamp, repeated",
                "03 ffffff 000001 09 01000000 01000000 aa c3 01000000 bb",
                List.of(new Expected(3, 0x1000000, 9, 1, "aa"), new Expected(3, 0x2000000, 9, 1, "bb"))),
            arguments("fmt 3 new message after an extended timestamp, not repeated",
                "03 ffffff 000001 09 01000000 01000000 aa c3 bb",
                List.of(new Expected(3, 0x1000000, 9, 1, "aa"), new Expected(3, 0x2000000, 9, 1, "bb"))),
            arguments("extended delta on fmt 2 and its continuation",
                "03 000010 000082 09 01000000 128xaa c3 bbbb 83 ffffff 01000000 128xcc c3 01000000 dddd",
                List.of(new Expected(3, 0x10, 9, 1, "128xaa bbbb"), new Expected(3, 0x1000010, 9, 1, "128xcc dddd"))),
            arguments("timestamps wrap at 32 bits", "03 ffffff 000001 09 01000000 fffffff0 aa 83 000020 bb",
                List.of(new Expected(3, 0xFFFFFFF0L, 9, 1, "aa"), new Expected(3, 0x10, 9, 1, "bb"))),
            arguments("interleaved audio and video chunk streams",
                "04 000000 0000c8 08 01000000 128xa1 06 000000 0000c8 09 01000000 128xb1 c4 72xa2 c6 72xb2",
                List.of(new Expected(4, 0, 8, 1, "128xa1 72xa2"), new Expected(6, 0, 9, 1, "128xb1 72xb2"))),
            arguments("SetChunkSize applies to the chunks after it",
                "02 000000 000004 01 00000000 00000100 03 000000 00012c 09 01000000 256xaa c3 44xbb",
                List.of(new Expected(2, 0, 1, 0, "00000100"), new Expected(3, 0, 9, 1, "256xaa 44xbb"))),
            arguments("Abort discards the partial message on its chunk stream",
                "04 000000 0000c8 08 01000000 128xaa 02 000000 000004 02 00000000 00000004 04 000010 000001 08 00000000 ee",
                List.of(new Expected(2, 0, 2, 0, "00000004"), new Expected(4, 16, 8, 0, "ee"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesWholeInput(String name, String input, List<Expected> expected) {
        byte[] bytes = Hex.bytes(input);
        EmbeddedChannel channel = channel(new ChunkDecoder());
        channel.writeInbound(alloc.wrap(bytes));
        assertThat(drain(channel)).isEqualTo(expected);
        assertThat(channel.pipeline().get(ChunkDecoder.class).bytesReceived()).isEqualTo(bytes.length);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesInputArrivingByteByByte(String name, String input, List<Expected> expected) {
        byte[] bytes = Hex.bytes(input);
        EmbeddedChannel channel = channel(new ChunkDecoder());
        List<Expected> decoded = new ArrayList<>();
        for (byte b : bytes) {
            channel.writeInbound(alloc.wrap(new byte[] {b}));
            decoded.addAll(drain(channel));
        }
        assertThat(decoded).isEqualTo(expected);
        assertThat(channel.pipeline().get(ChunkDecoder.class).bytesReceived()).isEqualTo(bytes.length);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void singleChunkMessageIsASliceOfTheInput() {
        EmbeddedChannel channel = channel(new ChunkDecoder());
        ByteBuf input = alloc.wrap(Hex.bytes("03 000000 000003 09 01000000 aabbcc"));
        channel.writeInbound(input);
        RawMessage message = channel.readInbound();
        assertThat(message.content().unwrap()).isSameAs(input);
        message.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsMessageLongerThanMaxMessage() {
        EmbeddedChannel channel = channel(new ChunkDecoder());
        assertThatThrownBy(() -> channel.writeInbound(alloc.wrap(Hex.bytes("03 000000 100001 09 01000000"))))
            .isInstanceOf(RtmpProtocolException.class)
            .hasMessage("message of 1048577 bytes exceeds max_message 1048576");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsMessageOfExactlyMaxMessage() {
        EmbeddedChannel channel = channel(new ChunkDecoder(16, 32, ChunkDecoder.DEFAULT_MAX_CHUNK_SIZE));
        channel.writeInbound(alloc.wrap(Hex.bytes("03 000000 000010 09 01000000 16xaa")));
        assertThat(drain(channel)).containsExactly(new Expected(3, 0, 9, 1, "16xaa"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsMoreChunkStreamsThanMaxStreams() {
        EmbeddedChannel channel = channel(new ChunkDecoder(ChunkDecoder.DEFAULT_MAX_MESSAGE_SIZE, 2,
            ChunkDecoder.DEFAULT_MAX_CHUNK_SIZE));
        channel.writeInbound(alloc.wrap(Hex.bytes("03 000000 000001 09 01000000 aa 04 000000 000001 09 01000000 bb")));
        assertThat(drain(channel)).hasSize(2);
        assertThatThrownBy(() -> channel.writeInbound(alloc.wrap(Hex.bytes("05 000000 000001 09 01000000 cc"))))
            .isInstanceOf(RtmpProtocolException.class)
            .hasMessage("chunk stream 5 exceeds max_streams 2");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"43 000000 000001 08 ee", "83 000000 ee", "c3 ee"})
    void rejectsCompressedHeaderWithoutPreviousHeader(String input) {
        EmbeddedChannel channel = channel(new ChunkDecoder());
        assertThatThrownBy(() -> channel.writeInbound(alloc.wrap(Hex.bytes(input))))
            .isInstanceOf(RtmpProtocolException.class)
            .hasMessageEndingWith("on chunk stream 3 without a previous header");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"00000000", "80000000", "ffffffff", "01000001"})
    void rejectsInvalidChunkSize(String size) {
        EmbeddedChannel channel = channel(new ChunkDecoder());
        assertThatThrownBy(() -> channel.writeInbound(alloc.wrap(Hex.bytes("02 000000 000004 01 00000000 " + size))))
            .isInstanceOf(RtmpProtocolException.class)
            .hasMessageContaining("chunk size");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 0x1000000})
    void acceptsChunkSizeWithinBounds(int size) {
        EmbeddedChannel channel = channel(new ChunkDecoder());
        ByteBuf input = alloc.wrap(Hex.bytes("02 000000 000004 01 00000000"));
        channel.writeInbound(input.writeInt(size));
        drain(channel);
        assertThat(channel.pipeline().get(ChunkDecoder.class).chunkSize()).isEqualTo(size);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsNewHeaderWhileAMessageIsIncomplete() {
        EmbeddedChannel channel = channel(new ChunkDecoder());
        assertThatThrownBy(() -> channel.writeInbound(alloc.wrap(Hex.bytes(
            "03 000000 0000c8 09 01000000 128xaa 43 000000 000001 09 bb"))))
            .isInstanceOf(RtmpProtocolException.class)
            .hasMessage("chunk of fmt 1 on chunk stream 3 while 128 of 200 bytes of a message are pending");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void discardsEverythingAfterAProtocolError() {
        EmbeddedChannel channel = channel(new ChunkDecoder());
        assertThatThrownBy(() -> channel.writeInbound(alloc.wrap(Hex.bytes("c3"))))
            .isInstanceOf(RtmpProtocolException.class);
        assertThat(channel.writeInbound(alloc.wrap(Hex.bytes("03 000000 000001 09 01000000 aa")))).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void releasesPartialMessagesWhenClosed() {
        EmbeddedChannel channel = channel(new ChunkDecoder());
        channel.writeInbound(alloc.wrap(Hex.bytes("03 000000 0000c8 09 01000000 128xaa 04 000000 0000c8 08 01000000 100xbb")));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void releasesPartialMessagesWhenRemoved() {
        EmbeddedChannel channel = channel(new ChunkDecoder());
        channel.writeInbound(alloc.wrap(Hex.bytes("03 000000 0000c8 09 01000000 128xaa")));
        channel.pipeline().remove(ChunkDecoder.class);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private EmbeddedChannel channel(ChunkDecoder decoder) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(decoder);
        return channel;
    }

    private static List<Expected> drain(EmbeddedChannel channel) {
        List<Expected> decoded = new ArrayList<>();
        for (RawMessage message; (message = channel.readInbound()) != null; ) {
            decoded.add(new Expected(message.chunkStreamId(), Integer.toUnsignedLong(message.timestamp()),
                message.typeId(), message.streamId(), ByteBufUtil.hexDump(message.content())));
            message.release();
        }
        return decoded;
    }
}
