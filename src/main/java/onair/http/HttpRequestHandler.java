package onair.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import onair.config.HttpLocation;
import onair.config.HttpRule;
import onair.config.HttpServerConfig;
import onair.config.TryFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 side of one connection: checks each request head, finds its location, applies allow/deny and hands
 * it to the location's {@link LocationHandler}; one request is answered at a time, and the connection is kept alive
 * between requests. A request head must arrive within {@link #HEAD_TIMEOUT_MILLIS} of the connection opening and
 * within {@link #KEEPALIVE_TIMEOUT_MILLIS} of the previous response; a peer that takes nothing for
 * {@link #WRITE_TIMEOUT_MILLIS} while a response is pending is cut off. Refused requests get one log line each.
 */
public final class HttpRequestHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);

    static final long HEAD_TIMEOUT_MILLIS = 10_000;
    static final long KEEPALIVE_TIMEOUT_MILLIS = 30_000;
    static final long WRITE_TIMEOUT_MILLIS = 30_000;
    private static final long TICK_MILLIS = 1000;
    /** nginx's limit of internal redirects per request ({@code NGX_HTTP_MAX_URI_CHANGES}). */
    static final int MAX_REDIRECTS = 10;

    private final HttpServerConfig server;
    private final Map<LocationHandler.Kind, LocationHandler> handlers;
    private final long headTimeoutMillis;
    private final long writeTimeoutMillis;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> tick;
    private HttpExchange current;
    private boolean closeAfterResponse;
    private long waitingSinceNanos;
    private long waitLimitNanos;
    private long unwritableSinceNanos;
    private long bodyProgressNanos;
    private Runnable writabilityListener;

    public HttpRequestHandler(HttpServerConfig server, Map<LocationHandler.Kind, LocationHandler> handlers) {
        this(server, handlers, HEAD_TIMEOUT_MILLIS, WRITE_TIMEOUT_MILLIS);
    }

    HttpRequestHandler(HttpServerConfig server, Map<LocationHandler.Kind, LocationHandler> handlers,
            long headTimeoutMillis, long writeTimeoutMillis) {
        this.server = server;
        this.handlers = Map.copyOf(handlers);
        this.headTimeoutMillis = headTimeoutMillis;
        this.writeTimeoutMillis = writeTimeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        waitForRequest(TimeUnit.MILLISECONDS.toNanos(headTimeoutMillis));
        tick = ctx.executor().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (tick != null) {
            tick.cancel(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                request(request);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        unwritableSinceNanos = writable ? 0 : System.nanoTime();
        if (writabilityListener != null) {
            writabilityListener.run();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            log.info("[{}] closed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    private void request(HttpRequest request) {
        waitingSinceNanos = 0;
        if (current != null) {
            closeAfterResponse = true;
            log.info("[{}] pipelined request {} {} ignored; closing after the current response",
                    ctx.channel().remoteAddress(), request.method(), printable(request.uri()));
            return;
        }
        closeAfterResponse = false;
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            refuseAndClose(request, status, "malformed request: " + cause.getMessage());
            return;
        }
        if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && !request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            refuseAndClose(request, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "version " + request.protocolVersion());
            return;
        }
        if (HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0) {
            refuseAndClose(request, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request with a body");
            return;
        }
        RequestPath target;
        try {
            target = RequestPath.parse(request.uri());
        } catch (RequestPath.BadPathException e) {
            refuseAndClose(request, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        route(request, target, new RequestVariables(request, target.path(), ctx.channel(), server), 0, null, 0);
    }

    /**
     * Runs the server's rules, chooses the location, runs its rules, then answers: nginx's rewrite, find-location,
     * access, try-files and content phases. {@code errorStatus} is non-zero for the internal redirect of an
     * {@code error_page}; a {@code named} location is entered at its own rules, as nginx does.
     */
    private void route(HttpRequest request, RequestPath target, RequestVariables variables, int errorStatus,
            HttpLocation named, int redirects) {
        if (redirects > MAX_REDIRECTS) {
            HttpExchange exchange = new HttpExchange(request, target, null, ctx.channel(), this);
            current = exchange;
            exchange.refuse(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "rewrite or internal redirection cycle while processing " + target.path());
            return;
        }
        HttpRule.Return result = named != null ? null : rules(server.rules(), variables, null);
        HttpLocation location = named != null ? named
                : result != null ? null : server.location(target.path()).orElse(null);
        HttpExchange exchange = new HttpExchange(request, target, location, ctx.channel(), this);
        current = exchange;
        List<HttpLocation.Header> headers = new ArrayList<>(location == null ? List.of() : location.headers());
        if (location != null) {
            result = rules(location.rules(), variables, headers);
        }
        exchange.rewritten(variables, headers, errorStatus, redirects);
        if (result != null) {
            answer(exchange, result);
            return;
        }
        if (errorStatus == 0 && !request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            exchange.refuse(HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + request.method());
            return;
        }
        if (location == null) {
            exchange.refuse(HttpResponseStatus.NOT_FOUND, "no location for " + target.path());
            return;
        }
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress peer && !location.allows(peer.getAddress())) {
            exchange.refuse(HttpResponseStatus.FORBIDDEN, "access forbidden by rule in location " + location.path());
            return;
        }
        if (location.tryFiles() != null && !location.servesFiles()) {
            tryFilesFallback(exchange);
            return;
        }
        LocationHandler.Kind kind = LocationHandler.Kind.of(location);
        LocationHandler handler = kind == null ? null : handlers.get(kind);
        if (kind == null) {
            exchange.refuse(HttpResponseStatus.NOT_FOUND, "location " + location.path() + " serves nothing");
        } else if (handler == null) {
            String reason = kind.name().toLowerCase(Locale.ROOT) + " is not available in this server";
            logRefusal(exchange, HttpResponseStatus.SERVICE_UNAVAILABLE, reason);
            exchange.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", reason + "\n");
        } else {
            try {
                handler.handle(exchange);
            } catch (RuntimeException e) {
                log.warn("[{}] {} {} failed", ctx.channel().remoteAddress(), request.method(), target.path(), e);
                if (!exchange.answered()) {
                    exchange.refuse(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.toString());
                } else {
                    ctx.close();
                }
            }
        }
    }

    /**
     * Runs {@code rules} in order: the first {@code return} reached is the answer; each {@code if} that holds
     * replaces {@code headers} with its own {@code add_header} lines, when it has some.
     */
    private static HttpRule.Return rules(List<HttpRule> rules, RequestVariables variables,
            List<HttpLocation.Header> headers) {
        for (HttpRule rule : rules) {
            switch (rule) {
                case HttpRule.Return result -> {
                    return result;
                }
                case HttpRule.If condition -> {
                    if (condition.condition().test(variables)) {
                        if (headers != null && !condition.headers().isEmpty()) {
                            headers.clear();
                            headers.addAll(condition.headers());
                        }
                        if (condition.result() != null) {
                            return condition.result();
                        }
                    }
                }
            }
        }
        return null;
    }

    /** Answers a {@code return}: 444 closes, a redirect sends Location, a text is the body, else the status alone. */
    private void answer(HttpExchange exchange, HttpRule.Return result) {
        int code = result.code();
        if (code == 444) {
            logRefusal(exchange, HttpResponseStatus.valueOf(444), "return 444 closes the connection");
            ctx.close();
            return;
        }
        HttpResponseStatus status = HttpResponseStatus.valueOf(code);
        String text = result.text() == null ? null : result.text().evaluate(exchange.variables());
        if (HttpRule.REDIRECTS.contains(code) && text != null) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
            response.headers().set(HttpHeaderNames.LOCATION, text);
            HttpUtil.setContentLength(response, 0);
            exchange.respond(response);
        } else if (text != null) {
            HttpLocation location = exchange.location();
            exchange.respond(status, location == null ? "text/plain" : location.defaultType(), text);
        } else if (code >= 400) {
            exchange.refuse(status, "return " + code);
        } else {
            exchange.respond(status, null, Unpooled.EMPTY_BUFFER);
        }
    }

    /** Answers a refused request with its {@code error_page}: a redirect to a URL, or the page's URI internally. */
    void errorPage(HttpExchange failed, HttpResponseStatus status, HttpRule.ErrorPage page) {
        String uri = page.uri().evaluate(failed.variables());
        if (page.redirect()) {
            int code = HttpRule.REDIRECTS.contains(page.response()) ? page.response() : 302;
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code));
            response.headers().set(HttpHeaderNames.LOCATION, uri);
            HttpUtil.setContentLength(response, 0);
            failed.respond(response);
            return;
        }
        int errorStatus = page.response() == 0 ? status.code() : page.response();
        if (uri.startsWith("@")) {
            route(failed.request(), failed.target(), failed.variables(), errorStatus, server.named().get(uri),
                    failed.redirects() + 1);
            return;
        }
        RequestPath target;
        try {
            target = RequestPath.parse(uri);
        } catch (RequestPath.BadPathException e) {
            failed.respond(status, "text/plain; charset=utf-8", status.code() + " " + status.reasonPhrase() + "\n");
            return;
        }
        route(failed.request(), target, failed.variables().at(target.path()), errorStatus, null, failed.redirects() + 1);
    }

    /**
     * Answers a request whose {@code try_files} found none of its files: with its code (and the code's
     * {@code error_page}), or by an internal redirect to its URI or its named location.
     */
    void tryFilesFallback(HttpExchange exchange) {
        TryFiles tryFiles = exchange.location().tryFiles();
        if (tryFiles.code() != 0) {
            HttpResponseStatus status = HttpResponseStatus.valueOf(tryFiles.code());
            if (tryFiles.code() >= 400) {
                exchange.refuse(status, "try_files found no file for " + exchange.path());
            } else {
                exchange.respond(status, null, Unpooled.EMPTY_BUFFER);
            }
            return;
        }
        if (tryFiles.named() != null) {
            route(exchange.request(), exchange.target(), exchange.variables(), exchange.errorStatus(),
                    server.named().get(tryFiles.named()), exchange.redirects() + 1);
            return;
        }
        String uri = tryFiles.uri().evaluate(exchange.variables());
        RequestPath target;
        try {
            target = RequestPath.parse(uri);
        } catch (RequestPath.BadPathException e) {
            exchange.refuse(HttpResponseStatus.INTERNAL_SERVER_ERROR, "try_files URI \"" + uri + "\": " + e.getMessage());
            return;
        }
        route(exchange.request(), target, exchange.variables().at(target.path()), exchange.errorStatus(), null,
                exchange.redirects() + 1);
    }

    private void refuseAndClose(HttpRequest request, HttpResponseStatus status, String reason) {
        HttpExchange exchange = new HttpExchange(request, new RequestPath("/", Map.of()), null, ctx.channel(), this);
        current = exchange;
        closeAfterResponse();
        exchange.refuse(status, reason);
    }

    HttpServerConfig server() {
        return server;
    }

    boolean keepAlive(HttpRequest request) {
        return !closeAfterResponse && HttpUtil.isKeepAlive(request);
    }

    void closeAfterResponse() {
        closeAfterResponse = true;
    }

    void logRefusal(HttpExchange exchange, HttpResponseStatus status, String reason) {
        HttpRequest request = exchange.request();
        log.info("[{}] {} {} {}: {}", ctx.channel().remoteAddress(), status.code(), request.method(),
                printable(request.uri()), reason);
    }

    void responseEnded(HttpExchange exchange) {
        if (current != exchange || exchange.detached()) {
            return;
        }
        current = null;
        writabilityListener = null;
        if (closeAfterResponse || !ctx.channel().isActive()) {
            ctx.close();
        } else {
            waitForRequest(TimeUnit.MILLISECONDS.toNanos(KEEPALIVE_TIMEOUT_MILLIS));
        }
    }

    void detach() {
        current = null;
        writabilityListener = null;
        ctx.pipeline().remove(this);
    }

    /** A file body made progress ({@code pending}) or finished; a body that makes none times out like a full socket. */
    void bodyProgressed(boolean pending) {
        bodyProgressNanos = pending ? System.nanoTime() : 0;
    }

    void writabilityListener(Runnable listener) {
        this.writabilityListener = listener;
    }

    private void waitForRequest(long limitNanos) {
        waitingSinceNanos = System.nanoTime();
        waitLimitNanos = limitNanos;
    }

    private void tick() {
        long now = System.nanoTime();
        if (current == null && waitingSinceNanos != 0 && now - waitingSinceNanos > waitLimitNanos) {
            log.info("[{}] closed: no request within {} ms", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(waitLimitNanos));
            ctx.close();
        } else if (stalled(unwritableSinceNanos, now) || stalled(bodyProgressNanos, now)) {
            log.info("[{}] closed: peer did not read for {} ms", ctx.channel().remoteAddress(), writeTimeoutMillis);
            ctx.close();
        }
    }

    private boolean stalled(long sinceNanos, long now) {
        return sinceNanos != 0 && now - sinceNanos > TimeUnit.MILLISECONDS.toNanos(writeTimeoutMillis);
    }

    private static String printable(String uri) {
        String cut = uri.length() > 200 ? uri.substring(0, 200) + "…" : uri;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
