package onair.exec;

import onair.config.ApplicationConfig;
import onair.config.ExecConfig;
import onair.config.RecordConfig;
import onair.lifecycle.ConnectEvent;
import onair.lifecycle.DoneEvent;
import onair.lifecycle.Peer;
import onair.lifecycle.PlayEvent;
import onair.lifecycle.PublishEvent;
import onair.lifecycle.RecordDoneEvent;
import onair.lifecycle.RecordStartedEvent;
import onair.lifecycle.StreamListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The exec family on the lifecycle (nginx-rtmp's {@code ngx_rtmp_exec_publish}, {@code _play},
 * {@code _close_stream} and {@code _record_done}, and the fork's {@code _record_started}): {@code exec_push}
 * children live from a publish to its end, {@code exec_pull} children from a stream's first player to its last, and
 * the one-shot kinds run on their events.
 * It decides nothing: it acts on publishes and plays once they have begun, under their final names. A connection's
 * disconnect also stops the children its publishes started and ends its plays.
 */
public final class ExecListener implements StreamListener {

    private final ExecSupervisor supervisor;
    private final Function<ApplicationConfig, ExecConfig> settings;
    private final Function<Invocation, LongSupplier> watchdog;
    private final Map<Owner, List<ExecChild>> pushes = new HashMap<>();
    private final Map<Stream, Pull> pulls = new HashMap<>();
    private final Map<Long, List<Stream>> plays = new HashMap<>();

    /** The stream a publish or play is about, in an application. */
    private record Stream(String app, String name) {
    }

    /** A publish by one connection. */
    private record Owner(long clientId, Stream stream) {
    }

    /** The players of a stream and the {@code exec_pull} children they keep running. */
    private static final class Pull {
        int players;
        List<ExecChild> children = List.of();
    }

    /**
     * @param settings the exec settings of an application
     * @param watchdog for a managed child about to start, the last-frame time of the stream it publishes to (see
     *                 {@link ChildSpec#lastFrameNanos}), or null to run it without a watchdog
     */
    public ExecListener(ExecSupervisor supervisor, Function<ApplicationConfig, ExecConfig> settings,
            Function<Invocation, LongSupplier> watchdog) {
        this.supervisor = supervisor;
        this.settings = settings;
        this.watchdog = watchdog;
    }

    /** Starts the {@code exec_static} lines, as written (without variables); they restart whatever {@code respawn}. */
    public List<ExecChild> startStatic(ExecConfig config) {
        List<ExecChild> started = new ArrayList<>();
        for (ExecConfig.Command command : config.commands(ExecConfig.Kind.STATIC)) {
            Invocation invocation = Invocation.literal(command);
            supervisor.start(new ChildSpec("", "", command.kind(), invocation, true, config.respawnTimeout(),
                config.killSignal(), watchdog.apply(invocation))).ifPresent(started::add);
        }
        return started;
    }

    @Override
    public void onPublishStarted(PublishEvent event) {
        ExecConfig config = settings.apply(event.app());
        if (!config.active()) {
            return;
        }
        Map<String, String> variables = session(event.peer(), event.app(), event.name(), event.args());
        runOnce(config, ExecConfig.Kind.PUBLISH, event.app(), event.name(), variables);
        List<ExecChild> children = startManaged(config, ExecConfig.Kind.PUSH, event.app(), event.name(), variables);
        List<ExecChild> replaced;
        synchronized (this) {
            replaced = pushes.put(new Owner(event.peer().clientId(), new Stream(event.app().name(), event.name())),
                children);
        }
        stopAll(replaced);
    }

    @Override
    public void onPublishDone(DoneEvent event) {
        ExecConfig config = settings.apply(event.app());
        runOnce(config, ExecConfig.Kind.PUBLISH_DONE, event.app(), event.name(),
            session(event.peer(), event.app(), event.name(), event.args()));
        List<ExecChild> children;
        synchronized (this) {
            children = pushes.remove(new Owner(event.peer().clientId(), new Stream(event.app().name(), event.name())));
        }
        stopAll(children);
    }

    @Override
    public void onPlayStarted(PlayEvent event) {
        ExecConfig config = settings.apply(event.app());
        if (!config.active()) {
            return;
        }
        runOnce(config, ExecConfig.Kind.PLAY, event.app(), event.name(),
            session(event.peer(), event.app(), event.name(), event.args()));
        if (config.commands(ExecConfig.Kind.PULL).isEmpty()) {
            return;
        }
        Stream stream = new Stream(event.app().name(), event.name());
        synchronized (this) {
            plays.computeIfAbsent(event.peer().clientId(), id -> new ArrayList<>()).add(stream);
            Pull pull = pulls.computeIfAbsent(stream, s -> new Pull());
            if (pull.players++ == 0) {
                pull.children = startManaged(config, ExecConfig.Kind.PULL, event.app(), event.name(),
                    Map.of("name", event.name(), "app", appVariable(event.peer(), event.app())));
            }
        }
    }

    @Override
    public void onPlayDone(DoneEvent event) {
        ExecConfig config = settings.apply(event.app());
        runOnce(config, ExecConfig.Kind.PLAY_DONE, event.app(), event.name(),
            session(event.peer(), event.app(), event.name(), event.args()));
        Stream stream = new Stream(event.app().name(), event.name());
        List<ExecChild> stopped;
        synchronized (this) {
            List<Stream> own = plays.get(event.peer().clientId());
            if (own == null || !own.remove(stream)) {
                return;
            }
            if (own.isEmpty()) {
                plays.remove(event.peer().clientId());
            }
            stopped = leave(stream);
        }
        stopAll(stopped);
    }

    @Override
    public void onDisconnect(ConnectEvent event) {
        long clientId = event.peer().clientId();
        List<ExecChild> stopped = new ArrayList<>();
        synchronized (this) {
            pushes.entrySet().removeIf(entry -> {
                if (entry.getKey().clientId() != clientId) {
                    return false;
                }
                stopped.addAll(entry.getValue());
                return true;
            });
            List<Stream> own = plays.remove(clientId);
            if (own != null) {
                own.forEach(stream -> stopped.addAll(leave(stream)));
            }
        }
        stopAll(stopped);
    }

    @Override
    public void onRecordStarted(RecordStartedEvent event) {
        record(ExecConfig.Kind.RECORD_STARTED, event.app(), event.recorder(), event.publisher(), event.name(),
            event.args(), event.path());
    }

    @Override
    public void onRecordDone(RecordDoneEvent event) {
        record(ExecConfig.Kind.RECORD_DONE, event.app(), event.recorder(), event.publisher(), event.name(),
            event.args(), event.path());
    }

    /**
     * Runs the {@code exec_record_*} lines in force for the recorder, as {@code ngx_rtmp_record_node_close} does with
     * the recorder's configuration: a {@code recorder} block's own lines, then its application's.
     */
    private void record(ExecConfig.Kind kind, ApplicationConfig app, RecordConfig.Recorder recorder, Peer publisher,
            String name, String args, Path path) {
        ExecConfig config = settings.apply(app);
        List<ExecConfig.Command> commands = new ArrayList<>(recorder.hooks().exec(kind));
        commands.addAll(config.commands(kind));
        if (commands.isEmpty()) {
            return;
        }
        Map<String, String> variables = new HashMap<>(session(publisher, app, name, args));
        variables.putAll(recordFile(path));
        variables.put("recorder", recorder.name());
        runOnce(config, commands, kind, app, name, variables);
    }

    /**
     * The file variables of {@code exec_record_done} as nginx-rtmp's {@code ngx_rtmp_exec_record_done} cuts the
     * path: {@code dirname} up to the last {@code /} (empty without one), {@code filename} after it, and
     * {@code basename} the file name up to its last {@code .} (all of it without one).
     */
    static Map<String, String> recordFile(Path file) {
        String path = file.toString();
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        String filename = path.substring(slash + 1);
        int dot = filename.lastIndexOf('.');
        return Map.of("path", path, "dirname", slash < 0 ? "" : path.substring(0, slash), "filename", filename,
            "basename", dot < 0 ? filename : filename.substring(0, dot));
    }

    /** The players' count of {@code stream} drops by one; the pull children to stop when it reaches zero. */
    private List<ExecChild> leave(Stream stream) {
        Pull pull = pulls.get(stream);
        if (pull == null || --pull.players > 0) {
            return List.of();
        }
        pulls.remove(stream);
        return pull.children;
    }

    private void runOnce(ExecConfig config, ExecConfig.Kind kind, ApplicationConfig app, String name,
            Map<String, String> variables) {
        runOnce(config, config.commands(kind), kind, app, name, variables);
    }

    private void runOnce(ExecConfig config, List<ExecConfig.Command> commands, ExecConfig.Kind kind,
            ApplicationConfig app, String name, Map<String, String> variables) {
        for (ExecConfig.Command command : commands) {
            if (command.appliesTo(name)) {
                supervisor.start(new ChildSpec(app.name(), name, kind, Invocation.of(command, variables), false,
                    config.respawnTimeout(), config.killSignal(), null));
            }
        }
    }

    private List<ExecChild> startManaged(ExecConfig config, ExecConfig.Kind kind, ApplicationConfig app,
            String name, Map<String, String> variables) {
        List<ExecChild> children = new ArrayList<>();
        for (ExecConfig.Command command : config.commands(kind)) {
            if (command.appliesTo(name)) {
                Invocation invocation = Invocation.of(command, variables);
                supervisor.start(new ChildSpec(app.name(), name, kind, invocation, config.respawn(),
                    config.respawnTimeout(), config.killSignal(), watchdog.apply(invocation)))
                    .ifPresent(children::add);
            }
        }
        return children;
    }

    private static void stopAll(List<ExecChild> children) {
        if (children != null) {
            children.forEach(ExecChild::stop);
        }
    }

    /** nginx-rtmp's session variables ({@code ngx_rtmp_eval_session}) with the stream's name and arguments. */
    private static Map<String, String> session(Peer peer, ApplicationConfig app, String name, String args) {
        Map<String, String> variables = new HashMap<>();
        variables.put("app", appVariable(peer, app));
        variables.put("name", name);
        variables.put("args", args == null ? "" : args);
        if (peer != null) {
            variables.put("addr", peer.addr());
            variables.put("flashver", nonNull(peer.flashver()));
            variables.put("swfurl", nonNull(peer.swfurl()));
            variables.put("tcurl", nonNull(peer.tcurl()));
            variables.put("pageurl", nonNull(peer.pageurl()));
        }
        return variables;
    }

    private static String appVariable(Peer peer, ApplicationConfig app) {
        return peer != null && peer.app() != null ? peer.app() : app.name();
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
