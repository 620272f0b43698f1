package onair.rtmpserver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import onair.amf.Amf0;
import onair.amf.EcmaArray;
import onair.media.FrameReader;
import onair.media.MediaFrame;
import onair.rtmp.command.Responses;
import onair.rtmp.command.Status;
import onair.rtmp.message.DataMessage;
import onair.rtmp.message.UserControl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A file played on one NetStream as nginx-rtmp's play module plays it. A virtual thread reads the file's frames and
 * hands them in real time, at most {@link #LEAD_MILLIS} ahead, to an {@link RtmpPlayer} with the bounded queue of a
 * live player; it waits rather than drops while that queue is full. A seek swaps in a fresh player, so nothing read
 * before it is sent after it; the end of the file is told with {@code onPlayStatus} NetStream.Play.Complete and
 * NetStream.Play.Stop, after which a seek plays again.
 */
final class FilePlay {

    private static final Logger log = LoggerFactory.getLogger(FilePlay.class);
    static final long LEAD_MILLIS = 1000;
    private static final int MAX_QUEUED_FRAMES = 256;
    private static final long MAX_QUEUED_BYTES = 8L << 20;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int STOP = -2;
    private static final int GO = -1;

    private final RtmpSession session;
    private final int streamId;
    private final String name;
    private final FrameReader reader;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile RtmpPlayer player;
    private int seekTo;
    private boolean paused;
    private boolean stopped;
    private boolean rebase;
    private int generation;
    private boolean finished;
    private long baseNanos;
    private int baseTimestamp;
    private volatile int lastTimestamp;

    /** Plays {@code reader}, the file of {@code name}, into {@code player} from {@code startMillis} on. */
    FilePlay(RtmpSession session, int streamId, String name, FrameReader reader, RtmpPlayer player, int startMillis) {
        this.session = session;
        this.streamId = streamId;
        this.name = name;
        this.reader = reader;
        this.player = player;
        this.seekTo = Math.max(0, startMillis);
    }

    void start() {
        Thread.ofVirtual().name("play " + name).start(this::run);
    }

    /** The player frames go to now. */
    RtmpPlayer player() {
        return player;
    }

    /** The timestamp of the last frame handed to the player. */
    int lastTimestamp() {
        return lastTimestamp;
    }

    /** Jumps to the keyframe at or before {@code millis}, dropping what was queued; runs on the event loop. */
    void seek(int millis) {
        RtmpPlayer old;
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            seekTo = millis;
            generation++;
            old = player;
            player = session.newPlayer(streamId, false);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        old.close();
        ChannelHandlerContext ctx = session.ctx();
        ctx.write(new UserControl(UserControl.Event.STREAM_EOF, streamId));
        ctx.write(Responses.onStatus(streamId, Status.VOD_SEEK_NOTIFY));
        ctx.writeAndFlush(new UserControl(UserControl.Event.STREAM_BEGIN, streamId));
    }

    /** Pauses or resumes where it paused; runs on the event loop. */
    void pause(boolean pause) {
        lock.lock();
        try {
            if (stopped || pause == paused) {
                return;
            }
            paused = pause;
            rebase = !pause;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        ChannelHandlerContext ctx = session.ctx();
        ctx.write(new UserControl(pause ? UserControl.Event.STREAM_EOF : UserControl.Event.STREAM_BEGIN, streamId));
        ctx.writeAndFlush(Responses.onStatus(streamId, pause ? Status.VOD_PAUSE_NOTIFY : Status.VOD_UNPAUSE_NOTIFY));
    }

    /** Stops reading and releases what is queued; {@code tell} the client when it asked to close the stream. */
    void stop(boolean tell) {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        player.close();
        ChannelHandlerContext ctx = session.ctx();
        if (tell && ctx.channel().isActive()) {
            ctx.write(new UserControl(UserControl.Event.STREAM_EOF, streamId));
            ctx.writeAndFlush(Responses.onStatus(streamId, Status.VOD_PLAY_STOP));
        }
    }

    static void closeQuietly(FrameReader reader) {
        try {
            reader.close();
        } catch (IOException e) {
            log.debug("closing a file that was opened too late failed", e);
        }
    }

    private void run() {
        try (reader) {
            play();
        } catch (IOException | RuntimeException e) {
            session.ctx().executor().execute(() -> session.close("play of \"" + name + "\" failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void play() throws IOException, InterruptedException {
        MediaFrame pending = null;
        try {
            while (true) {
                int turn = awaitTurn(pending);
                if (turn == STOP) {
                    return;
                }
                if (turn >= 0) {
                    if (pending != null) {
                        pending.release();
                        pending = null;
                    }
                    announce(reader.seek(turn));
                } else if (pending != null) {
                    offer(pending);
                    pending = null;
                } else {
                    pending = reader.next();
                    if (pending == null) {
                        complete();
                    }
                }
            }
        } finally {
            if (pending != null) {
                pending.release();
            }
        }
    }

    /**
     * Waits until there is something to do and returns it: {@link #STOP}, a position to seek to, or {@link #GO} to
     * hand over {@code pending} (now due, with room in the queue) or, without one, to read the next frame.
     */
    private int awaitTurn(MediaFrame pending) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (stopped) {
                    return STOP;
                }
                if (seekTo >= 0) {
                    int target = seekTo;
                    seekTo = GO;
                    return target;
                }
                if (!paused && pending == null && !finished) {
                    return GO;
                }
                if (!paused && pending != null) {
                    long now = System.nanoTime();
                    if (rebase) {
                        rebase = false;
                        baseNanos = now;
                        baseTimestamp = lastTimestamp;
                    }
                    long ahead = pending.timestamp() - baseTimestamp - LEAD_MILLIS;
                    long due = baseNanos + TimeUnit.MILLISECONDS.toNanos(ahead) - now;
                    RtmpPlayer current = player;
                    boolean room = current.queuedFrames() < MAX_QUEUED_FRAMES
                        && current.queue().bytes() < MAX_QUEUED_BYTES;
                    if (due <= 0 && room) {
                        return GO;
                    }
                    changed.awaitNanos(due > 0 && room ? Math.min(due, POLL_NANOS) : POLL_NANOS);
                } else {
                    changed.await();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** After a seek to the keyframe at {@code at}: the metadata and sequence headers, then frames from there. */
    private void announce(int at) {
        List<MediaFrame> headers = reader.sequenceHeaders();
        lock.lock();
        try {
            finished = false;
            baseNanos = System.nanoTime();
            baseTimestamp = at;
            lastTimestamp = at;
            offer(metadata(at));
            for (MediaFrame header : headers) {
                offer(header.withTimestamp(at));
            }
        } finally {
            lock.unlock();
            headers.forEach(MediaFrame::release);
        }
    }

    private MediaFrame metadata(int at) {
        ByteBuf body = session.ctx().alloc().heapBuffer();
        Amf0.writeAll(body, "onMetaData", new EcmaArray(new LinkedHashMap<>(reader.metadata())));
        return MediaFrame.of(MediaFrame.Kind.DATA, at, body);
    }

    private void offer(MediaFrame frame) {
        lock.lock();
        try {
            if (stopped || seekTo >= 0) {
                frame.release();
                return;
            }
            lastTimestamp = frame.timestamp();
            player.onFrame(frame);
        } finally {
            lock.unlock();
        }
    }

    /** The file is read to its end: once the player has sent what it holds, the client is told. */
    private void complete() {
        lock.lock();
        try {
            finished = true;
            int current = generation;
            session.ctx().executor().execute(() -> completeWhenSent(current));
        } finally {
            lock.unlock();
        }
    }

    private void completeWhenSent(int of) {
        ChannelHandlerContext ctx = session.ctx();
        lock.lock();
        try {
            if (stopped || of != generation || !ctx.channel().isActive()) {
                return;
            }
        } finally {
            lock.unlock();
        }
        if (player.queuedFrames() > 0) {
            ctx.executor().schedule(() -> completeWhenSent(of), POLL_NANOS, TimeUnit.NANOSECONDS);
            return;
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("level", "status");
        status.put("code", "NetStream.Play.Complete");
        status.put("duration", reader.duration() / 1000.0);
        ctx.write(new UserControl(UserControl.Event.STREAM_EOF, streamId));
        ctx.write(new DataMessage(streamId, lastTimestamp, List.of("onPlayStatus", status)));
        ctx.writeAndFlush(Responses.onStatus(streamId, Status.VOD_PLAY_COMPLETE));
    }
}
