package onair.testing;

import onair.it.Ffmpeg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A loopback TCP proxy for one connection that copies both ways to an upstream server and records what the client
 * sent. Its {@code main} remakes the ffmpeg publish captures replayed by {@code onair.rtmp.CaptureReplayTest}.
 */
public final class CaptureProxy implements AutoCloseable {

    private static final Path CAPTURES = Path.of("src", "test", "resources", "captures");
    private static final Duration FFMPEG_TIMEOUT = Duration.ofMinutes(1);

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final ByteArrayOutputStream clientBytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> done = new CompletableFuture<>();

    private CaptureProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().name("capture-proxy").daemon().start(this::serveOne);
    }

    /** Listens on an ephemeral loopback port and forwards the first client to {@code upstream}. */
    public static CaptureProxy start(InetSocketAddress upstream) throws IOException {
        return new CaptureProxy(upstream);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Everything the client sent, once it has closed its side of the connection. */
    public byte[] clientBytes(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("proxying failed", e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void serveOne() {
        try (Socket client = listener.accept(); Socket server = new Socket(upstream.getAddress(), upstream.getPort())) {
            Thread back = Thread.ofPlatform().name("capture-proxy-back").daemon()
                .start(() -> copy(server, client, null));
            copy(client, server, clientBytes);
            back.join(Duration.ofSeconds(10));
            synchronized (clientBytes) {
                done.complete(clientBytes.toByteArray());
            }
        } catch (IOException | InterruptedException | UncheckedIOException e) {
            done.completeExceptionally(e);
        }
    }

    private static void copy(Socket from, Socket to, ByteArrayOutputStream record) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (record != null) {
                    synchronized (record) {
                        record.write(buffer, 0, n);
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            if (record != null) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Publishes a 2 s 160x90 lavfi stream with the bundled ffmpeg through a proxy to a {@link TestServer} and writes
     * the client's bytes to {@code src/test/resources/captures/ffmpeg8-publish-CODEC.bin}; the arguments are the
     * codecs to capture, {@code h264} and {@code hevc}, both by default.
     */
    public static void main(String[] args) throws Exception {
        List<String> codecs = args.length == 0 ? List.of("h264", "hevc") : List.of(args);
        Files.createDirectories(CAPTURES);
        for (String codec : codecs) {
            Path file = CAPTURES.resolve("ffmpeg8-publish-" + codec + ".bin");
            try (TestServer server = TestServer.start(); CaptureProxy proxy = start(server.address())) {
                String url = "rtmp://127.0.0.1:" + proxy.port() + "/live/capture";
                Ffmpeg.run("capture-" + codec, FFMPEG_TIMEOUT, ffmpegArgs(codec, url).toArray(String[]::new));
                byte[] bytes = proxy.clientBytes(Duration.ofSeconds(10));
                Files.write(file, bytes);
                System.out.println(file + ": " + bytes.length + " bytes from ffmpeg "
                    + String.join(" ", ffmpegArgs(codec, url)));
            }
        }
    }

    /** The ffmpeg arguments that publish the capture stream for {@code codec} to {@code url}. */
    public static List<String> ffmpegArgs(String codec, String url) {
        List<String> args = new ArrayList<>(List.of(
            "-f", "lavfi", "-i", "testsrc=size=160x90:rate=10",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050",
            "-t", "2", "-map", "0:v", "-map", "1:a", "-pix_fmt", "yuv420p"));
        args.addAll(switch (codec) {
            case "h264" -> List.of("-c:v", "libx264", "-threads:v", "1", "-preset", "ultrafast", "-tune", "zerolatency",
                "-bf", "0", "-g", "10", "-b:v", "40k");
            case "hevc" -> List.of("-c:v", "libx265", "-preset", "ultrafast", "-g", "10", "-b:v", "40k",
                "-x265-params", "log-level=error:scenecut=0:bframes=0:pools=1:frame-threads=1");
            default -> throw new IllegalArgumentException("codec " + codec + ": expected h264 or hevc");
        });
        args.addAll(List.of("-c:a", "aac", "-b:a", "24k", "-ac", "1", "-fflags", "+bitexact", "-flags", "+bitexact",
            "-f", "flv", url));
        return args;
    }
}
