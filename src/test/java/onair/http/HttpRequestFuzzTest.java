package onair.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import onair.config.HttpServerConfig;
import onair.config.ServerConfig;
import onair.stream.StreamRegistry;
import onair.testing.TrackingAllocator;

import java.util.List;
import java.util.Map;

/**
 * Feeds arbitrary bytes to the HTTP pipeline of one connection (codec with Onair's limits, request handler, the web
 * page and a stub statistics handler): nothing escapes as an exception and every buffer is released.
 */
class HttpRequestFuzzTest {

    private static final HttpServerConfig SERVER = ServerConfig.parse("""
            rtmp { }
            http { server { listen 0;
                location / { }
                location = /stat { rtmp_stat all; add_header X-Test 1; }
                location /private { deny all; }
            } }
            """, "fuzz.conf").httpServers().getFirst();
    private static final Map<LocationHandler.Kind, LocationHandler> HANDLERS = Map.of(
            LocationHandler.Kind.PAGE, new WebPage(new StreamRegistry(), List::of),
            LocationHandler.Kind.RTMP_STAT, exchange -> exchange.respond(HttpResponseStatus.OK, "text/xml", "<rtmp/>"));

    @FuzzTest(maxDuration = "60s")
    void anyBytesAreAnsweredOrRefusedWithoutExceptionsOrLeaks(byte[] input) {
        TrackingAllocator allocator = new TrackingAllocator();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setOption(ChannelOption.ALLOCATOR, allocator);
        channel.pipeline().addLast(
                new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(8192)),
                new ChunkedWriteHandler(),
                new HttpRequestHandler(SERVER, HANDLERS));
        channel.writeInbound(allocator.wrap(input));
        channel.runPendingTasks();
        channel.checkException();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(out);
        }
        channel.finishAndReleaseAll();
        assertThat(allocator.unreleased()).isEmpty();
    }
}
