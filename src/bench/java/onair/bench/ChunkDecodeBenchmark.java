package onair.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import onair.rtmp.chunk.ChunkDecoder;
import onair.rtmp.chunk.ChunkEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The publisher's ingest path below the session: {@link ChunkDecoder} reassembling one second of a 1 Mbit/s stream
 * (25 video messages of 4,500 bytes and 43 audio messages of 370 bytes, chunk size 4000, arriving in 16 KB reads as
 * from a socket) into messages. Reported per message. Run with {@code bench/run jmh ChunkDecode}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class ChunkDecodeBenchmark {

    private static final int MESSAGES = 25 + 43;
    private static final int READ_SIZE = 16 << 10;

    private EmbeddedChannel channel;
    private ByteBuf second;

    @Setup(Level.Trial)
    public void setUp() {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        second = Unpooled.directBuffer();
        ByteBuf setChunkSize = Unpooled.buffer(4).writeInt(4000);
        second.writeBytes(ChunkEncoder.encode(alloc, 2, 0, 1, 0, setChunkSize, 128));
        setChunkSize.release();
        for (int i = 0; i < MESSAGES; i++) {
            boolean video = i < 50 && i % 2 == 0;
            ByteBuf payload = Unpooled.buffer().writeZero(video ? 4500 : 370);
            ByteBuf chunks = ChunkEncoder.encode(alloc, video ? 7 : 6, i * 15, video ? 9 : 8, 1, payload, 4000);
            second.writeBytes(chunks);
            chunks.release();
            payload.release();
        }
        channel = new EmbeddedChannel();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        second.release();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public int decodeOneSecond() {
        channel.pipeline().addLast(new ChunkDecoder());
        for (int at = 0; at < second.readableBytes(); at += READ_SIZE) {
            channel.writeInbound(second.retainedSlice(at, Math.min(READ_SIZE, second.readableBytes() - at)));
        }
        int messages = 0;
        Object message;
        while ((message = channel.readInbound()) != null) {
            ReferenceCountUtil.release(message);
            messages++;
        }
        channel.pipeline().removeFirst();
        return messages;
    }
}
