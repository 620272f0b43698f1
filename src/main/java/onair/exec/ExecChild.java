package onair.exec;

import onair.config.ExecConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One supervised command line and the process running it, restarted with backoff while it is wanted. Every change
 * of state happens on the supervisor's thread; {@link #snapshot()} may be read from any thread.
 */
public final class ExecChild {

    private static final Logger log = LoggerFactory.getLogger(ExecChild.class);
    private static final Logger output = LoggerFactory.getLogger(ChildOutput.class);

    private final ExecSupervisor supervisor;
    private final long id;
    private final ChildSpec spec;
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private volatile ChildSnapshot snapshot;

    private Process process;
    private long startedNanos;
    private Instant startedAt;
    private ChildSnapshot.State state = ChildSnapshot.State.STARTING;
    private boolean stopRequested;
    private int restarts;
    private int quickExits;
    private Integer lastExitCode;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> killer;
    private List<ProcessHandle> family = List.of();

    ExecChild(ExecSupervisor supervisor, long id, ChildSpec spec) {
        this.supervisor = supervisor;
        this.id = id;
        this.spec = spec;
        publish();
    }

    public ChildSpec spec() {
        return spec;
    }

    public ChildSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Stops the child for good: its kill signal, then KILL (for it and whatever it started) after the grace period.
     * A pending restart is cancelled.
     *
     * @return completes when the child's process is gone
     */
    public CompletableFuture<Void> stop() {
        supervisor.run(this::stopNow);
        return gone;
    }

    /**
     * Completes when the supervisor lets go of the child: once it is stopped, or for a one-shot kind once its
     * process has exited. A managed child that exits for good stays, in statistics, until it is stopped.
     */
    public CompletableFuture<Void> gone() {
        return gone;
    }

    void launch() {
        timer = null;
        if (stopRequested) {
            finish(ChildSnapshot.State.EXITED);
            return;
        }
        Invocation invocation = spec.invocation();
        invocation.ignored().forEach(reason -> log.warn("{}: ignoring redirect {}", spec.origin(), reason));
        Process started;
        try {
            started = invocation.processBuilder().start();
        } catch (IOException | RuntimeException e) {
            supervisor.failedStart();
            log.error("{}: cannot start \"{}\": {}; not retrying", spec.origin(), invocation.argv().getFirst(),
                e.getMessage());
            finish(ChildSnapshot.State.GIVEN_UP);
            return;
        }
        process = started;
        startedNanos = System.nanoTime();
        startedAt = Instant.now();
        state = ChildSnapshot.State.RUNNING;
        publish();
        log.info("{}: started pid {}: {}", spec.origin(), started.pid(), invocation.commandLine());
        if (invocation.stdout() instanceof Invocation.Log) {
            pump(started, started.getInputStream(), "stdout");
        }
        if (invocation.stderr() instanceof Invocation.Log && !invocation.stderrToStdout()) {
            pump(started, started.getErrorStream(), "stderr");
        }
        started.onExit().thenRun(() -> supervisor.run(() -> exited(started)));
        if (spec.lastFrameNanos() != null && spec.restarts()) {
            long deadline = startedNanos + supervisor.limits().watchdogAllowance().toNanos()
                + spec.watchdogSilence().toNanos();
            schedule(this::watch, deadline - System.nanoTime());
        }
    }

    private void pump(Process started, InputStream in, String stream) {
        String origin = spec.origin();
        long pid = started.pid();
        int maxLine = supervisor.limits().maxLine();
        Thread.ofVirtual().name("exec-" + pid + "-" + stream)
            .start(() -> ChildOutput.pump(in, maxLine, line -> output.info("{} pid {} {}: {}", origin, pid, stream,
                line)));
    }

    private void exited(Process exited) {
        if (exited != process) {
            return;
        }
        cancelTimer();
        if (killer != null && family.stream().noneMatch(ProcessHandle::isAlive)) {
            killer.cancel(false);
        }
        killer = null;
        lastExitCode = exited.exitValue();
        supervisor.exited(lastExitCode);
        if (stopRequested) {
            log.info("{}: pid {} stopped, exit code {}", spec.origin(), exited.pid(), lastExitCode);
            finish(ChildSnapshot.State.EXITED);
            return;
        }
        if (!spec.restarts()) {
            log.info("{}: pid {} exited with code {}", spec.origin(), exited.pid(), lastExitCode);
            finish(ChildSnapshot.State.EXITED);
            return;
        }
        Duration ran = Duration.ofNanos(System.nanoTime() - startedNanos);
        quickExits = ran.compareTo(supervisor.limits().quickExit()) < 0 ? quickExits + 1 : 0;
        if (quickExits >= supervisor.limits().quickExitLimit()) {
            log.error("{}: pid {} exited with code {} after {} ms; it exited {} times in a row within {} ms of"
                    + " starting, giving up on it: {}", spec.origin(), exited.pid(), lastExitCode, ran.toMillis(),
                quickExits, supervisor.limits().quickExit().toMillis(), spec.invocation().commandLine());
            finish(ChildSnapshot.State.GIVEN_UP);
            return;
        }
        long delay = backoff().toNanos();
        log.warn("{}: pid {} exited with code {} after {} ms; restarting in {} ms", spec.origin(), exited.pid(),
            lastExitCode, ran.toMillis(), TimeUnit.NANOSECONDS.toMillis(delay));
        state = ChildSnapshot.State.BACKING_OFF;
        publish();
        schedule(this::relaunch, delay);
    }

    private Duration backoff() {
        Duration cap = supervisor.limits().backoffCap();
        int doublings = Math.min(Math.max(quickExits - 1, 0), 30);
        Duration delay = spec.respawnTimeout().multipliedBy(1L << doublings);
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    private void relaunch() {
        restarts++;
        supervisor.restarted();
        launch();
    }

    private void watch() {
        timer = null;
        if (stopRequested || state != ChildSnapshot.State.RUNNING) {
            return;
        }
        long silenceLimit = spec.watchdogSilence().toNanos();
        long floor = startedNanos + supervisor.limits().watchdogAllowance().toNanos();
        long last = spec.lastFrameNanos().getAsLong();
        long reference = last != Long.MIN_VALUE && last - floor > 0 ? last : floor;
        long now = System.nanoTime();
        if (now - reference < silenceLimit) {
            schedule(this::watch, reference + silenceLimit - now);
            return;
        }
        log.warn("{}: pid {} sent no frames to its stream for {} ms; restarting it", spec.origin(), process.pid(),
            TimeUnit.NANOSECONDS.toMillis(now - reference));
        terminate();
    }

    private void stopNow() {
        if (stopRequested) {
            return;
        }
        stopRequested = true;
        switch (state) {
            case RUNNING -> terminate();
            case STARTING, STOPPING -> {
            }
            case BACKING_OFF, GIVEN_UP, EXITED -> finish(ChildSnapshot.State.EXITED);
        }
    }

    /**
     * Sends the kill signal to the child and to the processes it started (a shell's ffmpeg would outlive the shell
     * otherwise), and KILL to those of them still there after the grace.
     */
    private void terminate() {
        cancelTimer();
        state = ChildSnapshot.State.STOPPING;
        publish();
        List<ProcessHandle> members = new ArrayList<>();
        members.add(process.toHandle());
        process.descendants().forEach(members::add);
        family = List.copyOf(members);
        family.forEach(member -> signal(member, spec.killSignal()));
        List<ProcessHandle> signalled = family;
        killer = supervisor.schedule(() -> kill(signalled), supervisor.limits().killGrace().toNanos());
    }

    private void kill(List<ProcessHandle> signalled) {
        List<ProcessHandle> alive = signalled.stream().filter(ProcessHandle::isAlive).toList();
        if (alive.isEmpty()) {
            return;
        }
        log.warn("{}: {} {} still running {} ms after {}; killing {}", spec.origin(), alive.size() == 1 ? "pid"
                : "pids", alive.stream().map(h -> Long.toString(h.pid())).collect(Collectors.joining(" ")),
            supervisor.limits().killGrace().toMillis(), spec.killSignal(), alive.size() == 1 ? "it" : "them");
        alive.forEach(member -> {
            member.descendants().forEach(ProcessHandle::destroyForcibly);
            member.destroyForcibly();
        });
    }

    private void signal(ProcessHandle target, ExecConfig.KillSignal signal) {
        if (signal.number() == ExecConfig.KillSignal.TERM.number()) {
            target.destroy();
            return;
        }
        if (signal.number() == ExecConfig.KillSignal.KILL.number()) {
            target.destroyForcibly();
            return;
        }
        String pid = Long.toString(target.pid());
        try {
            (signal.name() != null ? new ProcessBuilder("kill", "-s", signal.name(), pid)
                : new ProcessBuilder("kill", "-" + signal.number(), pid))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        } catch (IOException e) {
            log.warn("{}: cannot send {} to pid {} ({}); sending SIGTERM", spec.origin(), signal, target.pid(),
                e.getMessage());
            target.destroy();
        }
    }

    private void finish(ChildSnapshot.State end) {
        cancelTimer();
        state = end;
        publish();
        if (stopRequested || !spec.kind().managed()) {
            supervisor.remove(this);
            gone.complete(null);
        }
    }

    private void schedule(Runnable task, long delayNanos) {
        cancelTimer();
        timer = supervisor.schedule(task, Math.max(delayNanos, 0));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void publish() {
        snapshot = new ChildSnapshot(id, spec.app(), spec.name(), spec.kind(), spec.invocation().commandLine(),
            process == null ? 0 : process.pid(), state, restarts, lastExitCode, startedAt);
    }
}
