package onair.server;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import onair.config.ServerConfig;
import onair.http.HttpExchange;
import onair.http.LocationHandler;
import onair.record.Recordings;
import tools.jackson.jr.ob.JSON;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The playback routes of the built-in page's location, in the style of MediaMTX's playback server:
 * {@code /playback/list?app=APP&name=NAME} (or {@code path=APP/NAME}) answers the stream's MP4 recordings as JSON
 * ({@code start} RFC 3339, {@code duration} seconds, {@code url}), and {@code /playback/get?…&start=RFC3339&duration=S}
 * the media of that range as fragmented MP4, from the fragment with a keyframe at or before {@code start}. Other
 * paths go to the page. Files are read on one thread with a bounded queue, never on an event loop.
 */
final class PlaybackRoutes implements LocationHandler, AutoCloseable {

    static final String LIST = "/playback/list";
    static final String GET = "/playback/get";
    private static final Duration MAX_DURATION = Duration.ofDays(1);
    private static final int CHUNK = 64 << 10;

    private final Recordings recordings;
    private final LocationHandler page;
    private final ThreadPoolExecutor reader = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(64), task -> {
            Thread thread = new Thread(task, "onair-playback");
            thread.setDaemon(true);
            return thread;
        });

    PlaybackRoutes(Supplier<ServerConfig> config, LocationHandler page) {
        this.recordings = new Recordings(config);
        this.page = page;
    }

    @Override
    public void handle(HttpExchange exchange) {
        String path = exchange.path();
        if (!path.equals(LIST) && !path.equals(GET)) {
            page.handle(exchange);
            return;
        }
        String[] stream = stream(exchange);
        if (stream == null) {
            exchange.refuse(HttpResponseStatus.BAD_REQUEST, "playback without app and name (or path)");
            return;
        }
        try {
            reader.execute(() -> {
                if (path.equals(LIST)) {
                    list(exchange, stream[0], stream[1]);
                } else {
                    get(exchange, stream[0], stream[1]);
                }
            });
        } catch (RejectedExecutionException e) {
            exchange.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many playback requests waiting");
        }
    }

    private static String[] stream(HttpExchange exchange) {
        String app = exchange.parameter("app");
        String name = exchange.parameter("name");
        String path = exchange.parameter("path");
        if ((app == null || name == null) && path != null && path.indexOf('/') > 0) {
            app = path.substring(0, path.indexOf('/'));
            name = path.substring(path.indexOf('/') + 1);
        }
        return app == null || name == null || app.isEmpty() || name.isEmpty() ? null : new String[] {app, name};
    }

    private void list(HttpExchange exchange, String app, String name) {
        List<Recordings.Entry> entries = recordings.list(app, name);
        String base = (exchange.channel().pipeline().get(SslHandler.class) != null ? "https://" : "http://")
            + exchange.request().headers().get(HttpHeaderNames.HOST, "localhost") + GET + "?app="
            + encode(app) + "&name=" + encode(name);
        List<Map<String, Object>> body = entries.stream().map(entry -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("start", entry.start().toString());
            item.put("duration", entry.duration());
            item.put("url", base + "&start=" + encode(entry.start().toString()) + "&duration=" + entry.duration());
            return item;
        }).toList();
        String json = JSON.std.asString(body);
        exchange.channel().eventLoop().execute(() -> {
            if (entries.isEmpty()) {
                exchange.refuse(HttpResponseStatus.NOT_FOUND, "no recordings of " + app + "/" + name);
            } else {
                exchange.respond(HttpResponseStatus.OK, "application/json", json + "\n");
            }
        });
    }

    private void get(HttpExchange exchange, String app, String name) {
        Instant start = null;
        Duration duration = null;
        String from = exchange.parameter("start");
        String seconds = exchange.parameter("duration");
        try {
            if (from != null && seconds != null) {
                start = OffsetDateTime.parse(from).toInstant();
                duration = Duration.ofNanos((long) (Double.parseDouble(seconds) * 1e9));
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            start = null;
        }
        if (start == null || duration == null) {
            exchange.channel().eventLoop().execute(() -> exchange.refuse(HttpResponseStatus.BAD_REQUEST,
                "playback get needs start (RFC 3339) and duration (seconds)"));
            return;
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            exchange.channel().eventLoop().execute(() -> exchange.refuse(HttpResponseStatus.BAD_REQUEST,
                "playback duration out of range"));
            return;
        }
        Optional<Recordings.Span> span;
        FileChannel file = null;
        try {
            span = recordings.get(app, name, start, duration);
            if (span.isPresent() && !exchange.isHead()) {
                file = FileChannel.open(span.get().file());
            }
        } catch (IOException e) {
            exchange.channel().eventLoop().execute(() -> exchange.refuse(HttpResponseStatus.NOT_FOUND,
                "cannot read the recording: " + e));
            return;
        }
        FileChannel opened = file;
        exchange.channel().eventLoop().execute(() -> send(exchange, span, opened, app + "/" + name));
    }

    private static void send(HttpExchange exchange, Optional<Recordings.Span> span, FileChannel file, String stream) {
        if (span.isEmpty()) {
            exchange.refuse(HttpResponseStatus.NOT_FOUND, "no recording of " + stream + " in that range");
            return;
        }
        Recordings.Span media = span.get();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/mp4");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setContentLength(head, media.length());
        exchange.startStream(head);
        if (file != null) {
            exchange.channel().write(new DefaultHttpContent(Unpooled.wrappedBuffer(media.initialization())));
            try {
                exchange.channel().write(new ChunkedNioFile(file, media.from(), media.to() - media.from(), CHUNK));
            } catch (IOException e) {
                closeQuietly(file);
                exchange.channel().close();
                return;
            }
        }
        exchange.endStream();
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException e) {
            return;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
