package onair.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import onair.amf.Amf0;
import onair.rtmp.handshake.HandshakeComplete;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.DataMessage;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.RtmpMessage;
import onair.rtmp.message.SetChunkSize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Publishes an FLV file in real time, looping with ever-increasing timestamps, through Onair's own codecs. Every
 * 10 ms it writes the tags that are due and records in its {@link SendClock} when each timestamp left.
 */
final class Publisher extends SimpleChannelInboundHandler<RtmpMessage> {

    private static final long TICK_MILLIS = 10;
    private static final int CHUNK_SIZE = 4096;

    private final Target target;
    private final FlvFile file;
    private final SendClock clock;
    private final int[] sentTimestamps = new int[1024];
    private ChannelHandlerContext ctx;
    private int streamId;
    private long startNanos;
    private int next;
    private long loopOffset;
    private ScheduledFuture<?> tick;
    volatile boolean publishing;
    volatile String failure;
    volatile long messagesSent;
    volatile long payloadBytesSent;

    Publisher(Target target, FlvFile file, SendClock clock) {
        this.target = target;
        this.file = file;
        this.clock = clock;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof HandshakeComplete) {
            this.ctx = ctx;
            ctx.write(new SetChunkSize(CHUNK_SIZE));
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("app", target.app());
            properties.put("type", "nonprivate");
            properties.put("flashVer", "FMLE/3.0 (compatible; onair-bench)");
            properties.put("tcUrl", target.tcUrl());
            ctx.writeAndFlush(new CommandMessage(0, 0, "connect", 1, properties, List.of()));
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RtmpMessage message) {
        if (!(message instanceof CommandMessage command)) {
            return;
        }
        switch (command.name()) {
            case "_result" -> {
                if (command.transactionId() == 1) {
                    ctx.writeAndFlush(new CommandMessage(0, 0, "createStream", 2, null, List.of()));
                } else if (command.transactionId() == 2) {
                    streamId = command.arguments().getFirst() instanceof Number n ? n.intValue() : 1;
                    ctx.writeAndFlush(new CommandMessage(streamId, 0, "publish", 0, null,
                        List.of(target.stream(), "live")));
                }
            }
            case "_error" -> fail("server answered _error: " + command);
            case "onStatus" -> {
                Object info = command.arguments().isEmpty() ? null : command.arguments().getFirst();
                String code = info instanceof Map<?, ?> m ? String.valueOf(m.get("code")) : "";
                if (code.equals("NetStream.Publish.Start")) {
                    start();
                } else if (code.contains("Publish.") && !publishing) {
                    fail("publish refused: " + code);
                }
            }
            default -> { }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (tick != null) {
            tick.cancel(false);
        }
        if (failure == null) {
            failure = "server closed the publisher's connection";
        }
        publishing = false;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    private void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
        ctx.close();
    }

    private void start() {
        publishing = true;
        for (FlvFile.Tag tag : file.tags()) {
            if (tag.type() == 18) {
                List<Object> values = new ArrayList<>(Amf0.readAll(tag.body().duplicate()));
                values.addFirst("@setDataFrame");
                ctx.write(new DataMessage(streamId, 0, values));
                break;
            }
        }
        startNanos = System.nanoTime();
        send();
        tick = ctx.executor().scheduleAtFixedRate(this::send, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void send() {
        long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        List<FlvFile.Tag> tags = file.tags();
        int count = 0;
        long bytes = 0;
        while (count < sentTimestamps.length) {
            if (next == tags.size()) {
                next = 0;
                loopOffset += file.duration();
            }
            FlvFile.Tag tag = tags.get(next);
            long due = tag.timestamp() + loopOffset;
            if (due > elapsedMillis) {
                break;
            }
            next++;
            if (tag.type() == 18) {
                continue;
            }
            int timestamp = (int) due;
            ctx.write(new MediaMessage(streamId, timestamp, tag.type(), tag.body().retainedDuplicate()),
                ctx.voidPromise());
            sentTimestamps[count++] = timestamp;
            bytes += tag.body().readableBytes();
        }
        if (count > 0) {
            ctx.flush();
            long now = System.nanoTime();
            for (int i = 0; i < count; i++) {
                clock.record(sentTimestamps[i], now);
            }
            messagesSent += count;
            payloadBytesSent += bytes;
        }
    }
}
