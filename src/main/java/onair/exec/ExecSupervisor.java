package onair.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs the exec children of one server (the supervisor; nginx-rtmp's {@code ngx_rtmp_exec_run} and
 * {@code ngx_rtmp_exec_kill}): without a shell, with their output in the log, stopped by their kill signal and then
 * KILL, restarted with exponential backoff until they exit at once too often, restarted by a watchdog when the
 * stream they feed stalls, and bounded in number. One thread does all the work; the methods may be called from any.
 */
public final class ExecSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExecSupervisor.class);

    private final ExecLimits limits;
    private final ScheduledExecutorService thread;
    private final Set<ExecChild> children = new LinkedHashSet<>();
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder restarts = new LongAdder();
    private final LongAdder failedStarts = new LongAdder();
    private final Map<Integer, LongAdder> exits = new ConcurrentHashMap<>();
    private boolean closed;

    public ExecSupervisor(ExecLimits limits) {
        this.limits = limits;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread worker = new Thread(runnable, "exec-supervisor");
            worker.setDaemon(true);
            return worker;
        });
    }

    /**
     * Starts a child, unless the server already has {@link ExecLimits#maxChildren} or is shutting down; a refusal
     * is logged. The process starts on the supervisor's thread, so this never blocks.
     */
    public Optional<ExecChild> start(ChildSpec spec) {
        ExecChild child;
        synchronized (children) {
            if (closed) {
                return Optional.empty();
            }
            long live = children.stream().filter(c -> c.snapshot().state().live()).count();
            if (live >= limits.maxChildren()) {
                log.warn("{}: not starting \"{}\": the server already has {} exec children, the limit",
                    spec.origin(), spec.invocation().commandLine(), live);
                return Optional.empty();
            }
            child = new ExecChild(this, ids.incrementAndGet(), spec);
            children.add(child);
        }
        run(child::launch);
        return Optional.of(child);
    }

    /** Every child the supervisor holds, oldest first. */
    public List<ChildSnapshot> snapshot() {
        List<ChildSnapshot> snapshots = new ArrayList<>();
        synchronized (children) {
            children.forEach(child -> snapshots.add(child.snapshot()));
        }
        snapshots.sort(Comparator.comparingLong(ChildSnapshot::id));
        return snapshots;
    }

    public ExecCounters counters() {
        int running = (int) snapshot().stream()
            .filter(s -> s.state() == ChildSnapshot.State.RUNNING || s.state() == ChildSnapshot.State.STOPPING)
            .count();
        Map<Integer, Long> byCode = new HashMap<>();
        exits.forEach((code, count) -> byCode.put(code, count.sum()));
        return new ExecCounters(running, restarts.sum(), failedStarts.sum(), byCode);
    }

    public ExecLimits limits() {
        return limits;
    }

    /**
     * Stops every child and waits, at most the kill grace and a little more, for their processes (and those they
     * started) to be gone; no child starts afterwards.
     */
    @Override
    public void close() {
        List<ExecChild> all;
        synchronized (children) {
            closed = true;
            all = List.copyOf(children);
        }
        CompletableFuture<?>[] gone = all.stream().map(ExecChild::stop).toArray(CompletableFuture[]::new);
        long waitMillis = limits.killGrace().toMillis() + 2_000;
        try {
            CompletableFuture.allOf(gone).get(waitMillis, TimeUnit.MILLISECONDS);
            thread.shutdown();
            thread.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("exec: {} children still running at shutdown", snapshot().size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("exec: stopping the children failed", e);
        }
        thread.shutdownNow();
    }

    void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("exec: supervisor closed, dropping a task");
        }
    }

    /** Runs {@code task} later on the supervisor's thread; null once the supervisor is closed. */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        try {
            return thread.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    void remove(ExecChild child) {
        synchronized (children) {
            children.remove(child);
        }
    }

    void exited(int code) {
        exits.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void restarted() {
        restarts.increment();
    }

    void failedStart() {
        failedStarts.increment();
    }
}
