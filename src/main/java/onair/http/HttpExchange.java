package onair.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import onair.config.HttpLocation;
import onair.config.HttpRule;
import onair.config.HttpServerConfig;
import onair.config.HttpValue;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One request being answered: what was asked (decoded path, query, location, peer) and the ways to answer it — a
 * complete response, a refusal, or a streamed response ended by {@link #endStream()}. Every answer carries the
 * location's {@code add_header} lines. Call its methods on the connection's event loop.
 */
public final class HttpExchange {

    /** Statuses that get {@code add_header} lines without {@code always}, as in nginx. */
    private static final Set<Integer> HEADER_STATUSES = Set.of(200, 201, 204, 206, 301, 302, 303, 304, 307, 308);

    private final HttpRequest request;
    private final RequestPath target;
    private final HttpLocation location;
    private final Channel channel;
    private final HttpRequestHandler connection;
    private boolean answered;
    private boolean detached;
    private RequestVariables variables;
    private List<HttpLocation.Header> headers;
    private int errorStatus;
    private int redirects;

    HttpExchange(HttpRequest request, RequestPath target, HttpLocation location, Channel channel,
            HttpRequestHandler connection) {
        this.request = request;
        this.target = target;
        this.location = location;
        this.channel = channel;
        this.connection = connection;
        this.headers = location == null ? List.of() : location.headers();
    }

    /**
     * Sets what the rewrite phase decided: the request's variables, the {@code add_header} lines in force (an
     * {@code if} block's may replace the location's), after an {@code error_page} redirect the status to answer
     * with (-1 for the page's own), and how many internal redirects led here.
     */
    void rewritten(RequestVariables variables, List<HttpLocation.Header> headers, int errorStatus, int redirects) {
        this.variables = variables;
        this.headers = List.copyOf(headers);
        this.errorStatus = errorStatus;
        this.redirects = redirects;
    }

    int errorStatus() {
        return errorStatus;
    }

    int redirects() {
        return redirects;
    }

    RequestPath target() {
        return target;
    }

    /** {@code try_files} found none of its files: its last argument answers. */
    void tryFilesFailed() {
        connection.tryFilesFallback(this);
    }

    RequestVariables variables() {
        return variables;
    }

    /** Whether this request answers an {@code error_page}: no conditional or range responses, no further pages. */
    boolean errorPage() {
        return errorStatus != 0;
    }

    /** The request head; its body, if any, was refused before. */
    public HttpRequest request() {
        return request;
    }

    public boolean isHead() {
        return request.method().equals(HttpMethod.HEAD);
    }

    /** The decoded, normalised path: starts with {@code /}, no {@code .}/{@code ..} segments, no empty segments. */
    public String path() {
        return target.path();
    }

    /** The first value of the decoded query parameter {@code name}, or null. */
    public String parameter(String name) {
        return target.parameter(name);
    }

    /** Every decoded query parameter in order. */
    public Map<String, List<String>> query() {
        return target.query();
    }

    /** The request's location; null only for requests refused before routing. */
    public HttpLocation location() {
        return location;
    }

    /** The http {@code server} block the request came in on. */
    public HttpServerConfig server() {
        return connection.server();
    }

    public Channel channel() {
        return channel;
    }

    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    /** Answers with a complete response; a HEAD request gets the same headers without the body. */
    public void respond(HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                isHead() ? Unpooled.EMPTY_BUFFER : body);
        HttpUtil.setContentLength(response, body.readableBytes());
        if (isHead()) {
            body.release();
        }
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        respond(response);
    }

    /** Like {@link #respond(HttpResponseStatus, String, ByteBuf)} with UTF-8 text. */
    public void respond(HttpResponseStatus status, String contentType, CharSequence body) {
        respond(status, contentType, ByteBufUtil.writeUtf8(channel.alloc(), body));
    }

    /** Answers with {@code response} as it is, plus the location's headers; its body is not cut for HEAD. */
    public void respond(FullHttpResponse response) {
        begin(response);
        write(response).addListener(done -> connection.responseEnded(this));
    }

    /** Refuses the request with a one-line text body naming the status, and one log line with the reason. */
    public void refuse(HttpResponseStatus status, String reason) {
        connection.logRefusal(this, status, reason);
        Map<Integer, HttpRule.ErrorPage> pages = location != null ? location.errorPages() : server().errorPages();
        HttpRule.ErrorPage page = variables == null || errorStatus != 0 || answered ? null : pages.get(status.code());
        if (page != null) {
            connection.errorPage(this, status, page);
            return;
        }
        respond(status, "text/plain; charset=utf-8", status.code() + " " + status.reasonPhrase() + "\n");
    }

    /**
     * Sends the head of a response whose body follows in parts, written to the channel as {@code HttpContent}s and
     * ended by {@link #endStream()}; without a Content-Length it is sent chunked to HTTP/1.1 clients and ends with the
     * connection for HTTP/1.0 ones.
     */
    public void startStream(HttpResponse head) {
        if (!HttpUtil.isContentLengthSet(head)) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                connection.closeAfterResponse();
            } else {
                HttpUtil.setTransferEncodingChunked(head, true);
            }
        }
        begin(head);
        write(head);
    }

    /** Ends a streamed response; the connection then waits for its next request or closes. */
    public void endStream() {
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(done -> connection.responseEnded(this));
    }

    /**
     * Takes the connection out of HTTP request handling (for a WebSocket upgrade): no more timeouts or requests are
     * handled by the HTTP server on it; the caller owns the channel from now on.
     */
    public void detach() {
        detached = true;
        connection.detach();
    }

    /** Called with the channel's writability whenever it changes while this exchange streams. */
    public void onWritabilityChanged(Runnable listener) {
        connection.writabilityListener(listener);
    }

    /** Answers with {@code head}, then {@code body} (a file region or chunked input; null for none), then the end. */
    void respond(HttpResponse head, Object body) {
        begin(head);
        channel.write(head);
        if (body != null) {
            ChannelProgressivePromise progress = channel.newProgressivePromise();
            connection.bodyProgressed(true);
            progress.addListener(new ChannelProgressiveFutureListener() {
                @Override
                public void operationProgressed(ChannelProgressiveFuture future, long done, long total) {
                    connection.bodyProgressed(true);
                }

                @Override
                public void operationComplete(ChannelProgressiveFuture future) {
                    connection.bodyProgressed(false);
                }
            });
            channel.write(body, progress);
        }
        write(LastHttpContent.EMPTY_LAST_CONTENT).addListener(done -> connection.responseEnded(this));
    }

    boolean answered() {
        return answered;
    }

    boolean detached() {
        return detached;
    }

    private void begin(HttpResponse response) {
        if (answered) {
            ReferenceCountUtil.release(response);
            throw new IllegalStateException("request already answered: " + request.uri());
        }
        answered = true;
        if (errorStatus > 0 && response.status().equals(HttpResponseStatus.OK)) {
            response.setStatus(HttpResponseStatus.valueOf(errorStatus));
        }
        addLocationHeaders(response);
        if (!response.headers().contains(HttpHeaderNames.SERVER)) {
            response.headers().set(HttpHeaderNames.SERVER, "Onair");
        }
        if (connection.keepAlive(request)) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            connection.closeAfterResponse();
        }
    }

    private void addLocationHeaders(HttpResponse response) {
        boolean success = HEADER_STATUSES.contains(response.status().code());
        Set<String> replaced = new HashSet<>();
        for (HttpLocation.Header header : headers) {
            if (success || header.always()) {
                String value = variables == null || header.value().indexOf('$') < 0 ? header.value()
                        : HttpValue.of(header.value()).evaluate(variables);
                if (value.isEmpty()) {
                    continue;
                }
                if (replaced.add(header.name().toLowerCase(Locale.ROOT))) {
                    response.headers().set(header.name(), value);
                } else {
                    response.headers().add(header.name(), value);
                }
            }
        }
    }

    private ChannelFuture write(Object message) {
        return channel.writeAndFlush(message).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }
}
