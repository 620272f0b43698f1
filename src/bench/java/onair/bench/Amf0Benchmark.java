package onair.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import onair.amf.Amf0;
import onair.amf.EcmaArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * AMF0 (AMF0 spec §2) on the command path: reading and writing an OBS-style {@code connect} command and an
 * {@code @setDataFrame onMetaData} body with an ECMA array of 16 properties. Run with {@code bench/run jmh Amf0}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class Amf0Benchmark {

    private Object[] connect;
    private Object[] metadata;
    private ByteBuf connectBytes;
    private ByteBuf metadataBytes;
    private ByteBuf out;

    @Setup(Level.Trial)
    public void setUp() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("app", "live");
        properties.put("type", "nonprivate");
        properties.put("flashVer", "FMLE/3.0 (compatible; FMSc/1.0)");
        properties.put("swfUrl", "rtmp://127.0.0.1:1935/live");
        properties.put("tcUrl", "rtmp://127.0.0.1:1935/live");
        connect = new Object[] {"connect", 1.0, properties};
        Map<String, Object> meta = new LinkedHashMap<>();
        for (String key : List.of("duration", "width", "height", "videodatarate", "framerate", "videocodecid",
                "audiodatarate", "audiosamplerate", "audiosamplesize", "audiochannels", "audiocodecid", "filesize")) {
            meta.put(key, 1280.0);
        }
        meta.put("stereo", true);
        meta.put("encoder", "obs-output module (libobs version 30.0.0)");
        meta.put("2.1", false);
        meta.put("3.1", false);
        metadata = new Object[] {"@setDataFrame", "onMetaData", new EcmaArray(meta)};
        connectBytes = Unpooled.directBuffer();
        Amf0.writeAll(connectBytes, connect);
        metadataBytes = Unpooled.directBuffer();
        Amf0.writeAll(metadataBytes, metadata);
        out = Unpooled.directBuffer(4096);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        connectBytes.release();
        metadataBytes.release();
        out.release();
    }

    @Benchmark
    public List<Object> readConnect() {
        return Amf0.readAll(connectBytes.duplicate());
    }

    @Benchmark
    public List<Object> readMetadata() {
        return Amf0.readAll(metadataBytes.duplicate());
    }

    @Benchmark
    public int writeConnect() {
        out.clear();
        Amf0.writeAll(out, connect);
        return out.readableBytes();
    }

    @Benchmark
    public int writeMetadata() {
        out.clear();
        Amf0.writeAll(out, metadata);
        return out.readableBytes();
    }
}
