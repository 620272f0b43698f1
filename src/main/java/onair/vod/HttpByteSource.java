package onair.vod;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import onair.media.ByteSource;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A remote media file read with HTTP range requests (RFC 9110 §14): its size from a one-byte request, then blocks of
 * at least {@link #WINDOW} bytes, the last of which serves the reads that follow it. Each request, body included,
 * has the timeout; reads are serialized, for one reader thread at a time. Closing it leaves the client open.
 */
public final class HttpByteSource implements ByteSource {

    static final int WINDOW = 1 << 20;
    static final int MAX_READ = 16 << 20;
    private static final int PARTIAL_CONTENT = 206;
    private static final int RANGE_NOT_SATISFIABLE = 416;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d{1,18})");

    private final HttpClient client;
    private final URI uri;
    private final Duration timeout;
    private final long size;
    private long blockStart;
    private byte[] block = new byte[0];
    private boolean closed;

    private HttpByteSource(HttpClient client, URI uri, Duration timeout, long size) {
        this.client = client;
        this.uri = uri;
        this.timeout = timeout;
        this.size = size;
    }

    /**
     * Learns the size of the file at {@code uri} from a {@code Range: bytes=0-0} request.
     *
     * @throws FileNotFoundException when the server answers 404 or 410, so that the caller may try another location
     * @throws IOException           when the server does not answer ranges (it is not downloaded whole), or fails
     */
    public static HttpByteSource open(HttpClient client, URI uri, Duration timeout) throws IOException {
        Answer answer = get(client, uri, timeout, 0, 1);
        if (answer.status == RANGE_NOT_SATISFIABLE && answer.contentRange != null) {
            Matcher empty = UNSATISFIED_RANGE.matcher(answer.contentRange);
            if (empty.matches() && Long.parseLong(empty.group(1)) == 0) {
                return new HttpByteSource(client, uri, timeout, 0);
            }
        }
        Matcher range = answer.range(uri, 0, 1);
        if (range.group(3).equals("*")) {
            throw new IOException(uri + " answers ranges without the file's size");
        }
        return new HttpByteSource(client, uri, timeout, Long.parseLong(range.group(3)));
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public synchronized ByteBuf read(long position, int length) throws IOException {
        if (closed) {
            throw new IOException(uri + " is closed");
        }
        if (position < 0 || length < 0 || length > MAX_READ) {
            throw new IOException("read of " + length + " bytes at " + position + " (at most " + MAX_READ + ")");
        }
        int wanted = (int) Math.max(0, Math.min(length, size - position));
        if (wanted == 0) {
            return Unpooled.buffer(0);
        }
        if (position < blockStart || position + wanted > blockStart + block.length) {
            int fetched = (int) Math.min(Math.max(wanted, WINDOW), size - position);
            Answer answer = get(client, uri, timeout, position, fetched);
            Matcher range = answer.range(uri, position, fetched);
            if (!range.group(3).equals(Long.toString(size))) {
                throw new IOException(uri + " changed size from " + size + " to " + range.group(3) + " bytes");
            }
            blockStart = position;
            block = answer.body;
        }
        return Unpooled.copiedBuffer(block, (int) (position - blockStart), wanted);
    }

    @Override
    public synchronized void close() {
        closed = true;
        block = new byte[0];
    }

    /** Asks for {@code length} bytes at {@code position}; a body other than a 206's is not read. */
    private static Answer get(HttpClient client, URI uri, Duration timeout, long position, int length)
        throws IOException {
        String range = "bytes=" + position + "-" + (position + length - 1);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Range", range).GET().build();
        CompletableFuture<HttpResponse<byte[]>> sent = client.sendAsync(request,
            info -> new Body(info.statusCode() == PARTIAL_CONTENT ? length : 0));
        HttpResponse<byte[]> response;
        try {
            response = sent.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new HttpTimeoutException("no answer to " + range + " of " + uri + " within " + timeout);
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted reading " + range + " of " + uri);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException cause) {
                throw cause;
            }
            throw new IOException("cannot read " + range + " of " + uri, e.getCause());
        }
        int status = response.statusCode();
        if (status == 404 || status == 410) {
            throw new FileNotFoundException(uri + ": HTTP " + status);
        }
        return new Answer(status, response.headers().firstValue("Content-Range").orElse(null), response.body());
    }

    /** A response's status, Content-Range and body (empty unless 206). */
    private record Answer(int status, String contentRange, byte[] body) {

        /** The Content-Range of a 206 that holds exactly the bytes asked for; anything else is an IOException. */
        Matcher range(URI uri, long position, int length) throws IOException {
            if (status == 200) {
                throw new IOException(uri + ": the server does not support range requests (HTTP 200 to a Range)");
            }
            if (status != PARTIAL_CONTENT) {
                throw new IOException(uri + ": HTTP " + status + " to a range request");
            }
            Matcher range = contentRange == null ? null : CONTENT_RANGE.matcher(contentRange);
            long last = position + length - 1;
            if (range == null || !range.matches() || Long.parseLong(range.group(1)) != position
                || Long.parseLong(range.group(2)) != last || body.length != length) {
                throw new IOException(uri + " answered bytes " + position + "-" + last + " with Content-Range "
                    + contentRange + " and " + body.length + " bytes");
            }
            return range;
        }
    }

    /** Collects a body of at most {@code limit} bytes; one that goes on is cancelled, not read to its end. */
    private static final class Body implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final byte[] bytes;
        private int filled;
        private Flow.Subscription subscription;

        Body(int limit) {
            this.bytes = new byte[limit];
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (bytes.length == 0) {
                subscription.cancel();
                result.complete(new byte[0]);
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                int length = buffer.remaining();
                if (length > bytes.length - filled) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("response body longer than " + bytes.length
                        + " bytes"));
                    return;
                }
                buffer.get(bytes, filled, length);
                filled += length;
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(filled == bytes.length ? bytes : Arrays.copyOf(bytes, filled));
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
