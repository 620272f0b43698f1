package onair.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import onair.config.HttpLocation;
import onair.config.HttpServerConfig;
import onair.exec.ChildSnapshot;
import onair.relay.RelaySnapshot;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;
import onair.stream.StreamStats;
import tools.jackson.jr.ob.JSON;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The built-in web page of a content-free {@code location /}: a player for the live streams (HTTP-FLV through
 * mpegts.js, HLS through hls.js), served from the classpath (read once, at startup), and {@code /api/streams}, the
 * JSON list it polls: app, name, live, viewers (subscribers with a client connection and HLS sessions), bitrate,
 * codecs, the tracks (as in the stat JSON), the exec children of the stream and the URLs to play each stream at; and {@link #API_TIME}, the time source
 * that DASH manifests announce.
 */
public final class WebPage implements LocationHandler {

    static final String API_STREAMS = "/api/streams";
    /** The current time as {@code urn:mpeg:dash:utc:http-iso:2014} serves it (ISO 8601 in UTC, to the millisecond). */
    public static final String API_TIME = "/api/time";
    private static final String ROOT = "onair/http/www/";
    private static final List<String> FILES = List.of("index.html", "app.js", "style.css", "vendor/hls.min.js",
            "vendor/mpegts.js", "vendor/LICENSE-hls.js", "vendor/LICENSE-mpegts.js", "vendor/mpegts.js.LICENSE.txt",
            "vendor/dash.all.min.js", "vendor/LICENSE-dash.js", "vendor/dash.all.min.js.LICENSE.txt");

    private record Resource(byte[] bytes, String type, String etag) {}

    private final StreamRegistry registry;
    private final Supplier<List<ChildSnapshot>> exec;
    private final Function<StreamKey, List<RelaySnapshot>> relays;
    private final Map<String, Resource> resources = new LinkedHashMap<>();

    /** @param exec the server's exec children, which the page lists with the streams they belong to */
    public WebPage(StreamRegistry registry, Supplier<List<ChildSnapshot>> exec) {
        this(registry, exec, key -> List.of());
    }

    /** A page that also lists each stream's {@code push} and {@code pull} relays, as {@code relays} answers them. */
    public WebPage(StreamRegistry registry, Supplier<List<ChildSnapshot>> exec,
            Function<StreamKey, List<RelaySnapshot>> relays) {
        this.registry = registry;
        this.exec = exec;
        this.relays = relays;
        for (String name : FILES) {
            byte[] bytes = read(name);
            resources.put("/" + name, new Resource(bytes, type(name), "\"" + digest(bytes) + "\""));
        }
        resources.put("/", resources.get("/index.html"));
    }

    @Override
    public void handle(HttpExchange exchange) {
        if (exchange.path().equals(API_STREAMS)) {
            FullHttpResponse response = json(exchange, streams(exchange.server()));
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            exchange.respond(response);
            return;
        }
        if (exchange.path().equals(API_TIME)) {
            byte[] now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()
                    .getBytes(StandardCharsets.US_ASCII);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    exchange.isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(now));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=us-ascii");
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            HttpUtil.setContentLength(response, now.length);
            exchange.respond(response);
            return;
        }
        Resource resource = resources.get(exchange.path());
        if (resource == null) {
            exchange.refuse(HttpResponseStatus.NOT_FOUND, "no page file " + exchange.path());
            return;
        }
        boolean notModified = resource.etag().equals(exchange.request().headers().get(HttpHeaderNames.IF_NONE_MATCH));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                notModified || exchange.isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(resource.bytes()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, resource.type());
        response.headers().set(HttpHeaderNames.ETAG, resource.etag());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        if (!notModified) {
            HttpUtil.setContentLength(response, resource.bytes().length);
        }
        exchange.respond(response);
    }

    /** The live streams as the page lists them, ordered by app and name. */
    List<Map<String, Object>> streams(HttpServerConfig server) {
        List<Map<String, Object>> list = new ArrayList<>();
        List<ChildSnapshot> children = exec.get();
        List<LiveStream> streams = new ArrayList<>(registry.streams());
        streams.sort(Comparator.comparing((LiveStream s) -> s.key().app()).thenComparing(s -> s.key().name()));
        for (LiveStream stream : streams) {
            StreamKey key = stream.key();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("app", key.app());
            entry.put("name", key.name());
            entry.put("live", stream.isLive());
            entry.put("viewers", stream.subscribers().stream().filter(viewer -> viewer.client() != null).count()
                    + stream.viewers().size());
            StreamStats stats = stream.stats();
            entry.put("bitrate", stats.bitrateIn() / 1000);
            entry.put("video", stats.video().codecName());
            entry.put("audio", stats.audio().codecName());
            entry.put("tracks", stats.tracks().stream().map(StreamStats.Track::json).toList());
            entry.put("exec", children.stream()
                    .filter(child -> child.app().equals(key.app()) && child.name().equals(key.name()))
                    .map(WebPage::child).toList());
            entry.put("relays", relays.apply(key).stream().map(WebPage::relay).toList());
            String flv = flvUrl(server, key);
            if (flv != null) {
                entry.put("flv", flv);
            }
            String hls = hlsUrl(server, key);
            if (hls != null) {
                entry.put("hls", hls);
            }
            String dash = dashUrl(server, key);
            if (dash != null) {
                entry.put("dash", dash);
            }
            list.add(entry);
        }
        return list;
    }

    private static Map<String, Object> relay(RelaySnapshot relay) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("direction", relay.direction());
        entry.put("url", relay.url());
        entry.put("state", relay.state());
        entry.put("last_error", relay.lastError());
        entry.put("reconnects", relay.reconnects());
        return entry;
    }

    private static Map<String, Object> child(ChildSnapshot child) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("kind", child.kind().directive());
        entry.put("command", child.command());
        entry.put("pid", child.pid());
        entry.put("state", child.state().label());
        entry.put("restarts", child.restarts());
        return entry;
    }

    /** {@code /APP/NAME.flv} when a flv_live location is named after the app, else the query form, or null. */
    static String flvUrl(HttpServerConfig server, StreamKey key) {
        String fallback = null;
        for (HttpLocation location : server.locations()) {
            if (!location.flvLive()) {
                continue;
            }
            String path = location.path().endsWith("/") ? location.path() : location.path() + "/";
            if (path.equals("/" + key.app() + "/") || path.endsWith("/" + key.app() + "/")) {
                return path + encode(key.name()) + ".flv";
            }
            if (fallback == null) {
                fallback = location.path() + "?app=" + encode(key.app()) + "&stream=" + encode(key.name());
            }
        }
        return fallback;
    }

    /** {@code /hls/NAME.m3u8} when the server serves files under {@code /hls}, else null. */
    static String hlsUrl(HttpServerConfig server, StreamKey key) {
        for (HttpLocation location : server.locations()) {
            if (location.servesFiles() && (location.path().equals("/hls") || location.path().equals("/hls/"))) {
                return "/hls/" + encode(key.name()) + ".m3u8";
            }
        }
        return null;
    }

    /** {@code /dash/NAME.mpd} when the server serves files under {@code /dash}, else null. */
    static String dashUrl(HttpServerConfig server, StreamKey key) {
        for (HttpLocation location : server.locations()) {
            if (location.servesFiles() && (location.path().equals("/dash") || location.path().equals("/dash/"))) {
                return "/dash/" + encode(key.name()) + ".mpd";
            }
        }
        return null;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static FullHttpResponse json(HttpExchange exchange, Object value) {
        byte[] bytes;
        try {
            bytes = JSON.std.asBytes(value);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                exchange.isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setContentLength(response, bytes.length);
        return response;
    }

    private static byte[] read(String name) {
        try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("web page file missing from the classpath: " + ROOT + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String type(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "application/javascript; charset=utf-8";
        }
        return name.endsWith(".css") ? "text/css; charset=utf-8" : "text/plain; charset=utf-8";
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
