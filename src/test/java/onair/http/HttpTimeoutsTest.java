package onair.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import onair.config.ServerConfig;
import onair.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The request-head and write timeouts, shortened to a fraction of a second through the handler's test constructor. */
class HttpTimeoutsTest {

    private static final long HEAD_TIMEOUT = 500;
    private static final long WRITE_TIMEOUT = 1000;

    @TempDir
    Path dir;

    private EventLoopGroup group;
    private StaticFiles files;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        try (RandomAccessFile big = new RandomAccessFile(dir.resolve("big.ts").toFile(), "rw")) {
            big.setLength(256L << 20);
        }
        ServerConfig config = ServerConfig.parse("rtmp { } http { server { listen 0; location / { root " + dir
                + "; } } }", "t.conf");
        files = new StaticFiles();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new ChunkedWriteHandler(),
                                new HttpRequestHandler(config.httpServers().getFirst(),
                                        Map.of(LocationHandler.Kind.FILES, files), HEAD_TIMEOUT, WRITE_TIMEOUT));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        address = (InetSocketAddress) server.localAddress();
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        files.close();
    }

    @Test
    void aConnectionThatSendsNoRequestHeadIsClosed() throws Exception {
        try (LogCapture log = new LogCapture(HttpRequestHandler.class); RawHttp connection = new RawHttp(address)) {
            connection.send("GET /big.ts HTTP/1.1\r\n");

            assertThat(connection.closedByServer()).isTrue();
            await().until(() -> !log.lines("no request within 500 ms").isEmpty());
        }
    }

    @Test
    void aReaderThatStopsReadingIsCutOff() throws Exception {
        try (LogCapture log = new LogCapture(HttpRequestHandler.class); Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(address);
            socket.getOutputStream().write("GET /big.ts HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            await().atMost(Duration.ofSeconds(15)).until(() -> !log.lines("peer did not read for 1000 ms").isEmpty());
            assertThat(log.lines("peer did not read").getFirst()).contains("127.0.0.1");
        }
    }
}
