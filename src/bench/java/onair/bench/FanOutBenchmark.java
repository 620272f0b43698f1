package onair.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import onair.media.MediaFrame;
import onair.rtmp.chunk.ChunkEncoder;
import onair.stream.LiveOptions;
import onair.stream.LiveStream;
import onair.stream.Publication;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;
import onair.stream.Subscriber;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One video frame published into a {@link LiveStream} and fanned out to {@code subscribers} subscribers that do
 * what an RTMP player does before the socket write: take the frame's chunk encoding and a duplicate of it. Compares
 * encoding once and sharing it (Onair's path) with encoding per subscriber. Run with {@code bench/run jmh FanOut}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class FanOutBenchmark {

    private record Encoding(int chunkStreamId, int chunkSize, int streamId) {
    }

    private static final Encoding VIDEO = new Encoding(7, 4000, 1);

    @Param({"1000"})
    int subscribers;

    @Param({"10000"})
    int frameSize;

    @Param({"true", "false"})
    boolean shared;

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private LiveStream stream;
    private Publication publication;
    private byte[] body;
    private int timestamp;

    @Setup(Level.Trial)
    public void setUp() {
        body = new byte[frameSize];
        body[0] = 0x27;
        body[1] = 0x01;
        stream = new StreamRegistry().stream(new StreamKey("live", "bench"),
            new LiveOptions(false, false, false, true, 0, 0));
        for (int i = 0; i < subscribers; i++) {
            stream.subscribe(shared ? new SharingSubscriber() : new EncodingSubscriber());
        }
        publication = stream.publish();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        publication.close();
    }

    @Benchmark
    public void publishOneFrame() {
        ByteBuf payload = alloc.directBuffer(frameSize).writeBytes(body);
        publication.send(MediaFrame.of(MediaFrame.Kind.VIDEO, timestamp += 40, payload));
    }

    private ByteBuf encode(MediaFrame frame) {
        return ChunkEncoder.encode(alloc, VIDEO.chunkStreamId(), frame.timestamp(), frame.kind().typeId,
            VIDEO.streamId(), frame.payload(), VIDEO.chunkSize());
    }

    private final class SharingSubscriber implements Subscriber {
        @Override
        public void onFrame(MediaFrame frame) {
            ByteBuf chunks = frame.encoded(VIDEO, FanOutBenchmark.this::encode);
            chunks.duplicate().release();
            frame.release();
        }

        @Override
        public void onPublishStart() {
        }

        @Override
        public void onPublishStop() {
        }
    }

    private final class EncodingSubscriber implements Subscriber {
        @Override
        public void onFrame(MediaFrame frame) {
            encode(frame).release();
            frame.release();
        }

        @Override
        public void onPublishStart() {
        }

        @Override
        public void onPublishStop() {
        }
    }
}
