package onair.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.channel.ChannelInboundHandlerAdapter;
import tools.jackson.jr.ob.JSON;
import onair.testing.SyntheticPublisher;
import onair.testing.TestCertificate;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code listen … ssl http2} serves HTTP/2 to clients that offer {@code h2} by ALPN and HTTP/1.1 to those that do
 * not, on the same port; {@code listen … http2} without TLS serves HTTP/2 with prior knowledge beside HTTP/1.1.
 * Files (whole and by range), the rewrite rules and the statistics all answer over HTTP/2 streams.
 */
class Http2Test {

    @TempDir
    static Path dir;

    private static final byte[] SEGMENT = new byte[300_000];
    private static TestServer server;
    private static TestCertificate certificate;
    private static SSLContext tls;

    @BeforeAll
    static void start() throws Exception {
        new Random(7).nextBytes(SEGMENT);
        Files.createDirectories(dir.resolve("hls"));
        Files.write(dir.resolve("hls/seg.ts"), SEGMENT);
        certificate = TestCertificate.create(dir.resolve("tls"), "EC");
        server = TestServer.start("""
                %s
                http {
                    server {
                        listen 127.0.0.1:0 ssl http2;
                        listen 127.0.0.1:0 http2;
                        ssl_certificate %s;
                        ssl_certificate_key %s;
                        location /hls { root %s; }
                        location /text { return 200 "hello $arg_who over $scheme"; }
                        location /stat { rtmp_stat all; }
                        location /live { flv_live on; }
                    }
                }
                """.formatted(TestServer.SEED, certificate.certificate(), certificate.key(), dir));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("onair", certificate.x509());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI https(String path) {
        return URI.create("https://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort() + path);
    }

    @Test
    void aClientOfferingH2GetsHttp2ForFilesRangesRulesAndStatistics() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_2).build()) {
            HttpResponse<byte[]> file = client.send(HttpRequest.newBuilder(https("/hls/seg.ts")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> range = client.send(HttpRequest.newBuilder(https("/hls/seg.ts"))
                    .header("Range", "bytes=1000-1999").build(), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<String> text = client.send(HttpRequest.newBuilder(https("/text?who=ann")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> stat = client.send(HttpRequest.newBuilder(https("/stat?format=json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(https("/hls/none.ts")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(file.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo(SEGMENT);
            assertThat(file.headers().firstValue("content-type")).hasValue("video/mp2t");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(SEGMENT, 1000, 2000));
            assertThat(text.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(text.body()).isEqualTo("hello ann over https");
            assertThat(stat.statusCode()).isEqualTo(200);
            assertThat(stat.body()).contains("\"applications\"");
            assertThat(missing.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aClientWithoutH2GetsHttp11OnTheSamePort() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<byte[]> file = client.send(HttpRequest.newBuilder(https("/hls/seg.ts")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            assertThat(file.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(file.body()).isEqualTo(SEGMENT);
        }
    }

    @Test
    void aPlainHttp2ListenServesPriorKnowledgeHttp2AndHttp11() throws Exception {
        InetSocketAddress plain = server.server().httpAddresses().get(1);

        assertThat(priorKnowledgeGet(plain, "/hls/seg.ts")).isEqualTo(SEGMENT);
        assertThat(new String(priorKnowledgeGet(plain, "/text?who=bob"))).isEqualTo("hello bob over http");
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> text = client.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + plain.getPort() + "/text?who=cy")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(text.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(text.body()).isEqualTo("hello cy over http");
        }
    }

    /** One GET over a new cleartext HTTP/2 connection with prior knowledge (Netty's HTTP/2 client); the body. */
    @Test
    void eachHttpFlvViewerOnOneHttp2ConnectionHasTheBytesOfItsOwnStream() throws Exception {
        try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 25, 1000);
             HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_2).build()) {
            publisher.send(30);
            publisher.sync();
            HttpResponse<InputStream> first = client.send(HttpRequest.newBuilder(https("/live/key.flv")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            HttpResponse<InputStream> second = client.send(HttpRequest.newBuilder(https("/live/key.flv")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream a = first.body(); InputStream b = second.body()) {
                assertThat(a.readNBytes(4000)).hasSize(4000);
                assertThat(b.readNBytes(4000)).hasSize(4000);

                String stat = client.send(HttpRequest.newBuilder(https("/stat?format=json")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();

                assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(httpFlvBytesOut(JSON.std.mapFrom(stat))).hasSize(2)
                        .allSatisfy(bytesOut -> assertThat(bytesOut).isGreaterThanOrEqualTo(4000));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Long> httpFlvBytesOut(Map<String, Object> stat) {
        List<Long> found = new ArrayList<>();
        for (Map<String, Object> block : (List<Map<String, Object>>) stat.get("servers")) {
            for (Map<String, Object> app : (List<Map<String, Object>>) block.get("applications")) {
                for (Map<String, Object> stream : (List<Map<String, Object>>) app.get("streams")) {
                    for (Map<String, Object> viewer : (List<Map<String, Object>>) stream.get("clients")) {
                        if (viewer.get("protocol").equals("http-flv")) {
                            found.add(((Number) viewer.get("bytes_out")).longValue());
                        }
                    }
                }
            }
        }
        return found;
    }

    private static byte[] priorKnowledgeGet(InetSocketAddress address, String path) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                    new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        }
                    })
                    .connect(address).sync().channel();
            CompletableFuture<byte[]> body = new CompletableFuture<>();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                    .handler(new SimpleChannelInboundHandler<Http2StreamFrame>() {
                        private String status;

                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
                            if (frame instanceof Http2HeadersFrame headers) {
                                status = String.valueOf(headers.headers().status());
                            } else if (frame instanceof Http2DataFrame data) {
                                ByteBuf content = data.content();
                                received.writeBytes(ByteBufUtil.getBytes(content));
                                if (data.isEndStream()) {
                                    body.complete(status.equals("200") ? received.toByteArray() : new byte[0]);
                                }
                            }
                        }
                    })
                    .open().sync().getNow();
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET").path(path)
                    .scheme("http").authority("127.0.0.1:" + address.getPort()), true)).sync();
            byte[] result = body.get(10, TimeUnit.SECONDS);
            connection.close().sync();
            return result;
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }
}
