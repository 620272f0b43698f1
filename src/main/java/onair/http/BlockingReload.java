package onair.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * LL-HLS blocking playlist reload (RFC 8216bis §6.2.5.2): an in-memory index of the live LL-HLS media playlists (the
 * segment being written and how many of its parts are listed), told by the HLS writer after each playlist is renamed
 * into place, and the requests waiting on those playlists. A request with {@code _HLS_msn=M[&_HLS_part=P]} is held,
 * without polling the disk or blocking its event loop, until its playlist lists segment M (or part P of segment M) or
 * three target durations pass (503); it is answered at once for playlists the index does not know. Waiters are
 * bounded per playlist and in total (503 beyond).
 */
public final class BlockingReload {

    /** How many parts past the newest a request may ask for (RFC 8216bis §6.2.5.2's Advance Part Limit). */
    private static final int ADVANCE_PART_LIMIT = 3;
    private static final int MAX_WAITERS_PER_PLAYLIST = 2_000;
    private static final int MAX_WAITERS = 10_000;
    private static final Pattern MSN = Pattern.compile("[0-9]{1,18}");
    private static final Pattern PART = Pattern.compile("[0-9]{1,9}");

    /** What {@link #offer} did with a waiter. */
    enum Outcome {
        /** The playlist already lists what was asked for, or is not a live LL-HLS playlist: answer at once. */
        READY,
        /** Held: the waiter's callback runs once, on its executor, when ready or timed out. */
        HELD,
        /** Asked for a segment or part too far ahead (400). */
        TOO_FAR,
        /** Too many requests wait already (503). */
        FULL
    }

    /**
     * A request waiting for segment {@code msn} (part {@code part}, or -1 for the whole segment); {@code done} is
     * called on {@code executor} with true when the playlist lists it, false on timeout.
     */
    static final class Waiter {
        private final long msn;
        private final int part;
        private final EventExecutor executor;
        private final Consumer<Boolean> done;
        private ScheduledFuture<?> timeout;

        Waiter(long msn, int part, EventExecutor executor, Consumer<Boolean> done) {
            this.msn = msn;
            this.part = part;
            this.executor = executor;
            this.done = done;
        }
    }

    /** A live playlist: segment {@code sequence} is being written and {@code parts} of its parts are listed. */
    private static final class Entry {
        long sequence;
        int parts;
        long targetMillis;
        final List<Waiter> waiters = new ArrayList<>();

        boolean lists(long msn, int part) {
            return sequence > msn || part >= 0 && sequence == msn && parts > part;
        }
    }

    private final int maxPerPlaylist;
    private final int maxWaiters;
    private final Map<Path, Entry> playlists = new HashMap<>();
    private int waiting;

    public BlockingReload() {
        this(MAX_WAITERS_PER_PLAYLIST, MAX_WAITERS);
    }

    BlockingReload(int maxPerPlaylist, int maxWaiters) {
        this.maxPerPlaylist = maxPerPlaylist;
        this.maxWaiters = maxWaiters;
    }

    /**
     * The LL-HLS media playlist {@code playlist} was written: it lists every segment before {@code sequence} and
     * {@code parts} parts of segment {@code sequence}; {@code ended} when it ends the stream (every waiter is then
     * answered and the playlist forgotten). Wakes the waiters it satisfies; any thread.
     */
    public void written(Path playlist, long sequence, int parts, Duration targetDuration, boolean ended) {
        List<Waiter> ready = new ArrayList<>();
        Path key = key(playlist);
        synchronized (this) {
            Entry entry = ended ? playlists.remove(key) : playlists.computeIfAbsent(key, k -> new Entry());
            if (entry == null) {
                return;
            }
            entry.sequence = sequence;
            entry.parts = parts;
            entry.targetMillis = targetDuration.toMillis();
            entry.waiters.removeIf(waiter -> {
                if (ended || entry.lists(waiter.msn, waiter.part)) {
                    ready.add(waiter);
                    return true;
                }
                return false;
            });
            waiting -= ready.size();
        }
        for (Waiter waiter : ready) {
            finish(waiter, true);
        }
    }

    /** Registers {@code waiter} for {@code playlist} unless it can be answered (or refused) at once. */
    Outcome offer(Path playlist, Waiter waiter) {
        Path key = key(playlist);
        synchronized (this) {
            Entry entry = playlists.get(key);
            if (entry == null || entry.lists(waiter.msn, waiter.part)) {
                return Outcome.READY;
            }
            long partsAhead = waiter.part < 0 ? 0
                : waiter.msn == entry.sequence ? waiter.part - (entry.parts - 1L) : waiter.part + 1L;
            if (waiter.msn > entry.sequence + 1 || partsAhead > ADVANCE_PART_LIMIT) {
                return Outcome.TOO_FAR;
            }
            if (entry.waiters.size() >= maxPerPlaylist || waiting >= maxWaiters) {
                return Outcome.FULL;
            }
            entry.waiters.add(waiter);
            waiting++;
            waiter.timeout = waiter.executor.schedule(() -> {
                if (remove(key, waiter)) {
                    waiter.done.accept(false);
                }
            }, 3 * entry.targetMillis, TimeUnit.MILLISECONDS);
            return Outcome.HELD;
        }
    }

    /** Forgets {@code waiter} (its connection closed); its callback is not called. */
    void cancel(Path playlist, Waiter waiter) {
        if (remove(key(playlist), waiter)) {
            waiter.timeout.cancel(false);
        }
    }

    /** How many requests wait now. */
    synchronized int waiting() {
        return waiting;
    }

    /**
     * Answers a request for the playlist file {@code playlist}: {@code serve} runs on the event loop now or once the
     * playlist lists what {@code _HLS_msn}/{@code _HLS_part} ask for; malformed or far-ahead values are refused with
     * 400, a timeout or too many waiters with 503.
     */
    void serve(HttpExchange exchange, Path playlist, Runnable serve) {
        String msnValue = exchange.parameter("_HLS_msn");
        String partValue = exchange.parameter("_HLS_part");
        if (msnValue == null && partValue == null) {
            serve.run();
            return;
        }
        if (msnValue == null || !MSN.matcher(msnValue).matches()
                || partValue != null && !PART.matcher(partValue).matches()) {
            exchange.refuse(HttpResponseStatus.BAD_REQUEST, "invalid _HLS_msn/_HLS_part");
            return;
        }
        ChannelFutureListener[] onClose = new ChannelFutureListener[1];
        Waiter waiter = new Waiter(Long.parseLong(msnValue), partValue == null ? -1 : Integer.parseInt(partValue),
                exchange.channel().eventLoop(), ready -> {
                    exchange.channel().closeFuture().removeListener(onClose[0]);
                    if (!exchange.channel().isActive()) {
                        return;
                    }
                    if (ready) {
                        serve.run();
                    } else {
                        exchange.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE,
                                "the playlist did not reach _HLS_msn=" + msnValue
                                        + (partValue == null ? "" : " _HLS_part=" + partValue) + " in time");
                    }
                });
        switch (offer(playlist, waiter)) {
            case READY -> serve.run();
            case TOO_FAR -> exchange.refuse(HttpResponseStatus.BAD_REQUEST,
                    "_HLS_msn/_HLS_part too far ahead of the playlist");
            case FULL -> exchange.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too many blocking playlist requests waiting");
            case HELD -> {
                onClose[0] = future -> cancel(playlist, waiter);
                exchange.channel().closeFuture().addListener(onClose[0]);
            }
        }
    }

    private synchronized boolean remove(Path key, Waiter waiter) {
        Entry entry = playlists.get(key);
        if (entry != null && entry.waiters.remove(waiter)) {
            waiting--;
            return true;
        }
        return false;
    }

    private static void finish(Waiter waiter, boolean ready) {
        waiter.timeout.cancel(false);
        waiter.executor.execute(() -> waiter.done.accept(ready));
    }

    private static Path key(Path playlist) {
        return playlist.toAbsolutePath().normalize();
    }
}
