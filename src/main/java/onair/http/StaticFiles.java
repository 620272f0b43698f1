package onair.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedFile;
import io.netty.handler.stream.ChunkedInput;
import onair.config.HttpLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the files of {@code root} and {@code alias} locations as nginx maps them (root + path, or alias + the path
 * after the location), never anything outside that directory, symbolic links included. Files are looked up and
 * opened on a small bounded pool, never on an event loop, and sent with {@code sendfile} (chunked reads under TLS).
 * Answers HEAD, conditional requests (ETag, Last-Modified → 304) and single byte ranges (206/416). Playlists are sent
 * with {@code Cache-Control: no-cache} and media segments with a long {@code max-age}, unless {@code add_header}
 * sets Cache-Control. A playlist request with {@code _HLS_msn} waits for its LL-HLS playlist through
 * {@link BlockingReload}.
 */
public final class StaticFiles implements LocationHandler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StaticFiles.class);

    static final String SEGMENT_CACHE_CONTROL = "max-age=86400";
    private static final Set<String> PLAYLISTS = Set.of("m3u8", "mpd");
    private static final Set<String> SEGMENTS = Set.of("ts", "m4s", "mp4", "m4a", "m4v", "aac", "key", "vtt");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");
    private static final int THREADS = 4;
    private static final int QUEUE = 1024;

    private final ThreadPoolExecutor pool;
    private final BlockingReload reload;
    private final Served served;

    /** Told, on the event loop, of each file answered (200, 206 or 304) and how many of its bytes are sent. */
    @FunctionalInterface
    public interface Served {
        void served(Path file, InetSocketAddress remote, String userAgent, long bytes);
    }

    /** The file to send: the open file, its size and modification time in milliseconds. */
    private record Found(RandomAccessFile file, long size, long modified, String name) {}

    public StaticFiles() {
        this(new BlockingReload(), (file, remote, userAgent, bytes) -> { });
    }

    /**
     * Serves files; playlist requests of LL-HLS blocking reloads wait through {@code reload}, and {@code served} is
     * told of each file answered (HLS viewer sessions).
     */
    public StaticFiles(BlockingReload reload, Served served) {
        this.reload = reload;
        this.served = served;
        pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                runnable -> {
                    Thread thread = new Thread(runnable, "onair-files");
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void handle(HttpExchange exchange) {
        HttpLocation location = exchange.location();
        Path base = base(location);
        if (location.tryFiles() != null) {
            tryFiles(exchange, base, location.tryFiles().files().stream()
                    .map(entry -> entry.evaluate(exchange.variables())).toList());
            return;
        }
        Path file = file(location, base, exchange.path());
        if (file == null) {
            exchange.refuse(HttpResponseStatus.FORBIDDEN, "path leaves the location's directory");
            return;
        }
        if (file.getFileName() != null && file.getFileName().toString().endsWith(".m3u8")) {
            reload.serve(exchange, file, () -> send(exchange, base, file));
        } else {
            send(exchange, base, file);
        }
    }

    private static Path base(HttpLocation location) {
        return (location.alias() != null ? location.alias() : location.root()).normalize();
    }

    /** The file of {@code path} as nginx maps it (root + path, or alias + the path after the location); null outside. */
    private static Path file(HttpLocation location, Path base, String path) {
        String relative = location.alias() != null
                ? path.substring(Math.min(location.path().length(), path.length()))
                : path;
        Path file = Path.of(base + (relative.startsWith("/") || base.toString().endsWith("/") ? "" : "/") + relative)
                .normalize();
        return file.startsWith(base) ? file : null;
    }

    /**
     * {@code try_files}: on the pool, sends the first entry that is a file (for an entry ending with {@code /}, the
     * {@code index.html} of a directory), or hands the request back when none is.
     */
    private void tryFiles(HttpExchange exchange, Path base, List<String> entries) {
        HttpLocation location = exchange.location();
        try {
            pool.execute(() -> {
                Path found = null;
                for (String entry : entries) {
                    Path file = entry.startsWith("/") ? file(location, base, entry) : null;
                    if (file != null && entry.endsWith("/")) {
                        file = Files.isDirectory(file) ? file.resolve("index.html") : null;
                    }
                    if (file != null && Files.isRegularFile(file)) {
                        found = file;
                        break;
                    }
                }
                Path chosen = found;
                Object opened = chosen == null ? null : open(base, chosen);
                exchange.channel().eventLoop().execute(() -> {
                    if (chosen == null) {
                        exchange.tryFilesFailed();
                    } else {
                        answer(exchange, chosen, opened);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            exchange.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "file lookups queue full");
        }
    }

    private void send(HttpExchange exchange, Path base, Path file) {
        try {
            pool.execute(() -> {
                Object found = open(base, file);
                exchange.channel().eventLoop().execute(() -> answer(exchange, file, found));
            });
        } catch (RejectedExecutionException e) {
            exchange.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "file lookups queue full");
        }
    }

    /** Looks {@code file} up on the pool: a {@link Found}, or the status to refuse with. */
    private static Object open(Path base, Path file) {
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(base.toRealPath())) {
                return HttpResponseStatus.FORBIDDEN;
            }
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return attributes.isDirectory() ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.NOT_FOUND;
            }
            RandomAccessFile open = new RandomAccessFile(real.toFile(), "r");
            return new Found(open, open.length(), attributes.lastModifiedTime().toMillis(),
                    real.getFileName().toString());
        } catch (NoSuchFileException e) {
            return HttpResponseStatus.NOT_FOUND;
        } catch (IOException | SecurityException e) {
            return e instanceof AccessDeniedException || e instanceof SecurityException
                    ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.NOT_FOUND;
        }
    }

    private void answer(HttpExchange exchange, Path path, Object found) {
        if (!exchange.channel().isActive()) {
            if (found instanceof Found f) {
                closeQuietly(f.file());
            }
            return;
        }
        if (found instanceof HttpResponseStatus status) {
            exchange.refuse(status, status == HttpResponseStatus.NOT_FOUND ? "no file for " + exchange.path()
                    : "file refused for " + exchange.path());
            return;
        }
        Found file = (Found) found;
        HttpHeaders request = exchange.request().headers();
        String etag = "\"" + Long.toHexString(file.modified() / 1000) + "-" + Long.toHexString(file.size()) + "\"";
        long modifiedSeconds = file.modified() / 1000;
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders headers = head.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, exchange.location().contentType(file.name()));
        headers.set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(modifiedSeconds * 1000)));
        headers.set(HttpHeaderNames.ETAG, etag);
        headers.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        String cacheControl = cacheControl(file.name());
        if (cacheControl != null) {
            headers.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        }
        if (!exchange.errorPage() && notModified(request, etag, modifiedSeconds)) {
            closeQuietly(file.file());
            head.setStatus(HttpResponseStatus.NOT_MODIFIED);
            served(exchange, path, 0);
            exchange.respond(head, null);
            return;
        }
        long start = 0;
        long length = file.size();
        String range = request.get(HttpHeaderNames.RANGE);
        String ifRange = request.get(HttpHeaderNames.IF_RANGE);
        if (range != null && !exchange.errorPage() && (ifRange == null || ifRange.equals(etag))) {
            long[] span = range(range, file.size());
            if (span == null) {
                closeQuietly(file.file());
                head.setStatus(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
                headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + file.size());
                HttpUtil.setContentLength(head, 0);
                exchange.respond(head, null);
                return;
            }
            if (span.length == 2) {
                start = span[0];
                length = span[1] - span[0] + 1;
                head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
                headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + span[0] + "-" + span[1] + "/" + file.size());
            }
        }
        HttpUtil.setContentLength(head, length);
        served(exchange, path, exchange.isHead() ? 0 : length);
        if (exchange.isHead() || length == 0) {
            closeQuietly(file.file());
            exchange.respond(head, null);
            return;
        }
        Channel channel = exchange.channel();
        Object body;
        if (channel.parent() == null && channel.pipeline().get(SslHandler.class) == null) {
            body = new DefaultFileRegion(file.file().getChannel(), start, length);
        } else {
            try {
                ChunkedFile chunks = new ChunkedFile(file.file(), start, length, 16 << 10);
                body = channel.parent() == null ? chunks : new ContentChunks(chunks);
            } catch (IOException e) {
                closeQuietly(file.file());
                exchange.refuse(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.toString());
                return;
            }
        }
        exchange.respond(head, body);
    }

    private void served(HttpExchange exchange, Path file, long bytes) {
        served.served(file, exchange.remoteAddress(), exchange.request().headers().get(HttpHeaderNames.USER_AGENT),
                bytes);
    }

    static String cacheControl(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (PLAYLISTS.contains(extension)) {
            return "no-cache";
        }
        return SEGMENTS.contains(extension) ? SEGMENT_CACHE_CONTROL : null;
    }

    private static boolean notModified(HttpHeaders request, String etag, long modifiedSeconds) {
        String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String trimmed = tag.trim();
                if (trimmed.equals("*") || trimmed.equals(etag) || trimmed.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        String ifModifiedSince = request.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (ifModifiedSince == null) {
            return false;
        }
        Date since = DateFormatter.parseHttpDate(ifModifiedSince);
        return since != null && since.getTime() / 1000 >= modifiedSeconds;
    }

    /** {start, end} of a satisfiable single range, an empty array to send the whole file, or null for 416. */
    static long[] range(String header, long size) {
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return new long[0];
        }
        long start;
        long end;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0) {
                return null;
            }
            start = Math.max(0, size - suffix);
            end = size - 1;
        } else {
            start = Long.parseLong(m.group(1));
            end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) {
                return new long[0];
            }
        }
        return start >= size ? null : new long[] {start, end};
    }

    /** A file's chunks as HTTP contents, for an HTTP/2 stream, whose codec writes HTTP objects only. */
    private record ContentChunks(ChunkedFile file) implements ChunkedInput<HttpContent> {

        @Override
        public boolean isEndOfInput() throws Exception {
            return file.isEndOfInput();
        }

        @Override
        public void close() throws Exception {
            file.close();
        }

        @Override
        public HttpContent readChunk(ByteBufAllocator allocator) throws Exception {
            ByteBuf chunk = file.readChunk(allocator);
            return chunk == null ? null : new DefaultHttpContent(chunk);
        }

        @Override
        @Deprecated
        public HttpContent readChunk(ChannelHandlerContext ctx) throws Exception {
            return readChunk(ctx.alloc());
        }

        @Override
        public long length() {
            return file.length();
        }

        @Override
        public long progress() {
            return file.progress();
        }
    }

    private static void closeQuietly(RandomAccessFile file) {
        try {
            file.close();
        } catch (IOException e) {
            log.debug("closing a served file failed", e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
