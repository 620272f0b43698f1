package onair.rtmpserver;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import onair.config.ApplicationConfig;
import onair.lifecycle.Decision;
import onair.lifecycle.DoneEvent;
import onair.lifecycle.PlayEvent;
import onair.lifecycle.PublishEvent;
import onair.media.FrameReader;
import onair.relay.RelayTarget;
import onair.relay.RtmpRelay;
import onair.rtmp.RtmpProtocolException;
import onair.rtmp.command.Play;
import onair.rtmp.command.Publish;
import onair.rtmp.command.Responses;
import onair.rtmp.command.Status;
import onair.rtmp.ingest.Ingest;
import onair.rtmp.message.DataMessage;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.UserControl;
import onair.stream.LiveStream;
import onair.stream.Publication;
import onair.stream.StreamKey;
import onair.stream.Subscription;
import onair.vod.PlayFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * One NetStream of a connection (RTMP spec §7.2.2): idle, publishing a live stream, playing one or playing a file,
 * with the {@code onStatus} replies and lifecycle notices of each change. Runs on the connection's event loop.
 */
final class NetStream {

    private static final Logger log = LoggerFactory.getLogger(RtmpSession.class);
    private static final Idle IDLE = new Idle();
    private static final Executor OPENERS = Executors.newVirtualThreadPerTaskExecutor();

    /** What a NetStream does. */
    sealed interface State permits Idle, Publishing, Playing, PlayingFile {
    }

    /** Neither publishing nor playing: just created, or ended. */
    record Idle() implements State {
    }

    /** Publishing {@code key}, asked for with the query {@code args}, since {@code startNanos}. */
    record Publishing(StreamKey key, String args, long startNanos, Publication publication) implements State {
    }

    /** Playing {@code live}, asked for with the query {@code args}, since {@code startNanos}; paused when unsubscribed. */
    record Playing(StreamKey key, String args, long startNanos, LiveStream live, RtmpPlayer player,
        Subscription subscription) implements State {

        boolean paused() {
            return subscription == null;
        }
    }

    /** Playing the file of {@code key} from the application's {@code play} locations, since {@code startNanos}. */
    record PlayingFile(StreamKey key, String args, long startNanos, FilePlay file) implements State {
    }

    final int id;
    private final RtmpSession session;
    private State state = IDLE;
    private int lastTimestamp;
    private long lastMediaNanos;
    ScheduledFuture<?> update;

    NetStream(int id, RtmpSession session) {
        this.id = id;
        this.session = session;
    }

    State state() {
        return state;
    }

    /** The timestamp of the last audio or video message published. */
    int lastTimestamp() {
        return lastTimestamp;
    }

    /** When the last audio or video message was published, in {@link System#nanoTime()}. */
    long lastMediaNanos() {
        return lastMediaNanos;
    }

    /** Whether it publishes, or plays unpaused: a new publish or play on it is a protocol error. */
    boolean inUse() {
        return switch (state) {
            case Idle idle -> false;
            case Publishing publishing -> true;
            case Playing playing -> !playing.paused();
            case PlayingFile file -> true;
        };
    }

    /** The player of what it plays, or null when it plays nothing. */
    RtmpPlayer player() {
        return switch (state) {
            case Playing playing -> playing.player();
            case PlayingFile file -> file.file().player();
            default -> null;
        };
    }

    /**
     * Publishes once the lifecycle allows it, under the name it admits; a redirect to an {@code rtmp://} URL also
     * pushes the stream there. A refusal closes the connection.
     */
    void publish(Publish publish) {
        if (inUse()) {
            throw new RtmpProtocolException("publish on stream " + id + " that is already in use");
        }
        ApplicationConfig app = session.app();
        if (!app.live()) {
            session.ctx().write(Responses.onStatus(id, Status.PUBLISH_BAD_NAME, "Publish denied: no live streams"));
            session.close("publish to application \"" + app.name() + "\" that has no live streams");
            return;
        }
        StreamName name = StreamName.parse(publish.name());
        String type = publish.type();
        PublishEvent event = new PublishEvent(app, session.peer(), name.key(), name.query(), type);
        session.gate().decide(session.lifecycle().onPublish(event), made -> {
            Decision decision = Redirects.checked(made);
            if (!decision.allowed()) {
                session.ctx().write(Responses.onStatus(id, Status.PUBLISH_BAD_NAME,
                    "Publish denied: " + decision.description()));
                session.close(decision.reason());
                return;
            }
            LiveStream live = startPublish(Redirects.admittedName(app, decision, name.key()), name.query(), type);
            RelayTarget relay = Redirects.relayTarget(decision);
            if (live != null && relay != null) {
                RtmpRelay.push(relay, live, session.ctx().channel(), session.config().chunkSize());
            }
        });
    }

    /**
     * Plays once the lifecycle allows it, the stream it admits; a redirect to an {@code rtmp://} URL first pulls the
     * stream from there unless it is live here. A refusal closes the connection.
     */
    void play(Play play) {
        if (inUse()) {
            throw new RtmpProtocolException("play on stream " + id + " that is already in use");
        }
        ApplicationConfig app = session.app();
        StreamName name = StreamName.parse(play.name()).played();
        PlayEvent event = new PlayEvent(app, session.peer(), name.key(), name.query(), play.start(), play.duration(),
            play.reset());
        session.gate().decide(session.lifecycle().onPlay(event), made -> {
            Decision decision = Redirects.checked(made);
            if (!decision.allowed()) {
                session.ctx().write(Responses.onStatus(id, Status.PLAY_FAILED,
                    "Play denied: " + decision.description()));
                session.close(decision.reason());
                return;
            }
            String key = Redirects.admittedName(app, decision, name.key());
            RelayTarget relay = Redirects.relayTarget(decision);
            if (relay == null && app.play().enabled()) {
                playFile(key, name.query(), play);
                return;
            }
            if (relay != null) {
                LiveStream live = session.registry().stream(new StreamKey(app.name(), key), app.liveOptions());
                if (!live.isLive()) {
                    RtmpRelay.pull(relay, live, session.ctx().channel(), session.config().chunkSize());
                }
            }
            startPlay(key, name.query(), play);
        });
    }

    /** Publishes {@code name} and returns its live stream, or refuses, closes and returns null when it is taken. */
    private LiveStream startPublish(String name, String args, String type) {
        ApplicationConfig app = session.app();
        ChannelHandlerContext ctx = session.ctx();
        LiveStream live = session.registry().stream(new StreamKey(app.name(), name), app.liveOptions());
        Publication publication = live.publish(session.client());
        if (publication == null) {
            ctx.write(Responses.onStatus(id, Status.PUBLISH_BAD_NAME));
            session.close("stream \"" + name + "\" is already being published");
            return null;
        }
        lastMediaNanos = System.nanoTime();
        state = new Publishing(live.key(), args, lastMediaNanos, publication);
        session.client().started(true, name, args);
        ctx.write(new UserControl(UserControl.Event.STREAM_BEGIN, id));
        ctx.writeAndFlush(Responses.onStatus(id, Status.PUBLISH_START));
        session.updates().schedule(this);
        log.info("{} publish app={} name={} type={}", session, app.name(), name, type);
        session.lifecycle().onPublishStarted(new PublishEvent(app, session.peer(), name, args, type));
        return live;
    }

    /**
     * Plays {@code name} as {@code play} asked, or with {@code idle_streams off} refuses and closes when it is not
     * published.
     */
    private void startPlay(String name, String args, Play play) {
        ApplicationConfig app = session.app();
        ChannelHandlerContext ctx = session.ctx();
        StreamKey key = new StreamKey(app.name(), name);
        if (!app.idleStreams() && !session.registry().find(key).map(LiveStream::isLive).orElse(false)) {
            ctx.write(Responses.onStatus(id, Status.PLAY_STREAM_NOT_FOUND));
            session.close("play of stream \"" + name + "\" that is not published (idle_streams off)");
            return;
        }
        LiveStream live = session.registry().stream(key, app.liveOptions());
        announcePlay(play, Status.PLAY_START, false);
        RtmpPlayer player = session.newPlayer(id, app.waitKey());
        state = new Playing(live.key(), args, System.nanoTime(), live, player, live.subscribe(player));
        playStarted(name, args, play, "");
    }

    /** The replies to a {@code play} that goes on: StreamBegin, Play.Reset if asked, {@code start}, sample access. */
    private void announcePlay(Play play, Status start, boolean recorded) {
        ChannelHandlerContext ctx = session.ctx();
        ctx.write(new UserControl(UserControl.Event.STREAM_BEGIN, id));
        if (play.reset()) {
            ctx.write(Responses.onStatus(id, Status.PLAY_RESET));
        }
        ctx.write(Responses.onStatus(id, start));
        if (recorded) {
            ctx.write(new UserControl(UserControl.Event.STREAM_IS_RECORDED, id));
        }
        ctx.write(new DataMessage(id, 0, List.of("|RtmpSampleAccess", true, true)));
    }

    /** Sends the replies and tells the client record, the updates and the lifecycle that {@code name} plays. */
    private void playStarted(String name, String args, Play play, String from) {
        ApplicationConfig app = session.app();
        session.client().started(false, name, args);
        session.ctx().flush();
        session.updates().schedule(this);
        log.info("{} play app={} name={}{}", session, app.name(), name, from);
        session.lifecycle().onPlayStarted(new PlayEvent(app, session.peer(), name, args, play.start(),
            play.duration(), play.reset()));
    }

    /**
     * Plays {@code name} from the application's files, or, when none has it, live if the application is live; in a
     * file-only application a missing file is not found and closes the connection.
     */
    private void playFile(String name, String args, Play play) {
        ApplicationConfig app = session.app();
        ChannelHandlerContext ctx = session.ctx();
        PlayFiles.FileName file;
        try {
            file = PlayFiles.FileName.parse(name);
        } catch (IllegalArgumentException e) {
            ctx.write(Responses.onStatus(id, Status.PLAY_FAILED, "Play failed: " + e.getMessage()));
            session.close("play refused: " + e.getMessage());
            return;
        }
        PlayFiles files = new PlayFiles(app.play(), PlayFiles.sharedClient());
        String address = session.peer().address() == null ? "" : session.peer().address().getHostAddress();
        CompletableFuture<FrameReader> opened = CompletableFuture.supplyAsync(() -> {
            try {
                return files.open(file, address, args);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, OPENERS);
        session.gate().await(opened, (reader, error) -> {
            if (error instanceof FileNotFoundException && app.live()) {
                startPlay(name, args, play);
            } else if (error instanceof FileNotFoundException) {
                ctx.write(Responses.onStatus(id, Status.VOD_NOT_FOUND));
                session.close("play of \"" + name + "\": no such file in the play locations");
            } else if (error != null) {
                ctx.write(Responses.onStatus(id, Status.PLAY_FAILED, "Play failed: " + error.getMessage()));
                session.close("play of \"" + name + "\" failed: " + error.getMessage());
            } else {
                startFile(name, args, play, reader);
            }
        }, FilePlay::closeQuietly);
    }

    private void startFile(String name, String args, Play play, FrameReader reader) {
        announcePlay(play, Status.VOD_PLAY_START, true);
        FilePlay file = new FilePlay(session, id, name, reader, session.newPlayer(id, false), (int) play.start());
        state = new PlayingFile(new StreamKey(session.app().name(), name), args, System.nanoTime(), file);
        file.start();
        playStarted(name, args, play, " from file");
    }

    /** Seeks the file it plays; a live stream cannot seek. */
    void seek(double millis) {
        if (state instanceof PlayingFile file) {
            file.file().seek((int) Math.min(millis, Integer.MAX_VALUE));
        }
    }

    /** Pauses or resumes playing; a resumed live player starts at a keyframe. Does nothing unless it plays. */
    void pause(boolean pause) {
        if (state instanceof PlayingFile file) {
            file.file().pause(pause);
            return;
        }
        if (!(state instanceof Playing playing)) {
            return;
        }
        ChannelHandlerContext ctx = session.ctx();
        if (pause && !playing.paused()) {
            playing.subscription().close();
            playing.player().close();
            state = new Playing(playing.key(), playing.args(), playing.startNanos(), playing.live(), playing.player(),
                null);
            ctx.writeAndFlush(Responses.onStatus(id, Status.PAUSE_NOTIFY));
        } else if (!pause && playing.paused()) {
            RtmpPlayer player = session.newPlayer(id, true);
            ctx.writeAndFlush(Responses.onStatus(id, Status.UNPAUSE_NOTIFY));
            state = new Playing(playing.key(), playing.args(), playing.startNanos(), playing.live(), player,
                playing.live().subscribe(player));
        }
    }

    /** Ends what it publishes or plays, telling the lifecycle, and becomes idle. */
    void end() {
        end(false);
    }

    /** Ends as {@link #end()}; a client that closed the stream is told a file stopped. */
    void end(boolean closed) {
        session.updates().cancel(this);
        switch (state) {
            case Idle idle -> { }
            case Publishing publishing -> {
                session.lifecycle().onPublishDone(done(publishing.key(), publishing.args()));
                publishing.publication().close();
                if (session.ctx().channel().isActive()) {
                    session.ctx().writeAndFlush(Responses.onStatus(id, Status.UNPUBLISH_SUCCESS));
                }
            }
            case Playing playing -> {
                session.lifecycle().onPlayDone(done(playing.key(), playing.args()));
                if (!playing.paused()) {
                    playing.subscription().close();
                }
                playing.player().close();
            }
            case PlayingFile file -> {
                session.lifecycle().onPlayDone(done(file.key(), file.args()));
                file.file().stop(closed);
            }
        }
        state = IDLE;
    }

    /** Ends what it publishes, telling the lifecycle, before the server shuts down; a player goes on. */
    void endPublishing() {
        if (state instanceof Publishing publishing) {
            session.lifecycle().onPublishDone(done(publishing.key(), publishing.args()));
            publishing.publication().close();
            state = IDLE;
        }
    }

    private DoneEvent done(StreamKey key, String args) {
        return new DoneEvent(session.app(), session.peer(), key.name(), args, session.client().bytesIn(),
            session.client().bytesOut());
    }

    /** Lets its player write again once the connection is writable. */
    void drain() {
        RtmpPlayer player = player();
        if (player != null) {
            player.drain();
        }
    }

    void onMedia(MediaMessage media) {
        if (state instanceof Publishing publishing) {
            lastMediaNanos = System.nanoTime();
            lastTimestamp = media.timestamp();
            publishing.publication().send(Ingest.frame(media));
        }
    }

    void onData(DataMessage data) {
        if (state instanceof Publishing publishing) {
            Ingest.data(data, meta(session.app().meta()), session.ctx().alloc(), publishing.publication()::send,
                publishing.publication()::sendMetadata);
        }
    }

    private static Ingest.Meta meta(ApplicationConfig.Meta meta) {
        return switch (meta) {
            case ON -> Ingest.Meta.ON;
            case COPY -> Ingest.Meta.COPY;
            case OFF -> Ingest.Meta.OFF;
        };
    }
}
