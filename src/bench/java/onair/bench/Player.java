package onair.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import onair.amf.Amf0;
import onair.rtmp.chunk.ChunkEncoder;
import onair.rtmp.handshake.HandshakeComplete;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One light RTMP player: connects, creates a stream and plays it, then follows the chunk headers (RTMP spec §5.3)
 * of every chunk stream while skipping media payloads in place. It keeps only what the load report needs: bytes,
 * the first bytes of each video message (to see keyframes), the RTMP timestamps (for lag and, through a
 * {@link SendClock}, server-added latency). Setup and control messages are copied and decoded; media never is.
 * A throttled player stops reading whenever it is ahead of its byte rate, so the server sees a slow client.
 * Runs on one event loop.
 */
final class Player extends Viewer {

    private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};
    private static final int MAX_CHUNK_STREAMS = 16;
    private static final int MAX_CONTROL_MESSAGE = 64 << 10;
    private static final int COMMAND_CSID = 3;
    private static final int PLAY_CSID = 8;
    private static final int CONTROL_CSID = 2;

    private final Target target;

    private int chunkSize = 128;
    private long ackWindow;
    private long lastAck;
    private final byte[] header = new byte[18];
    private int headerLength;
    private int current = -1;
    private int chunkLeft;
    private int chunkStreams;
    private final int[] csid = new int[MAX_CHUNK_STREAMS];
    private final int[] length = new int[MAX_CHUNK_STREAMS];
    private final int[] type = new int[MAX_CHUNK_STREAMS];
    private final int[] timestamp = new int[MAX_CHUNK_STREAMS];
    private final int[] delta = new int[MAX_CHUNK_STREAMS];
    private final int[] remaining = new int[MAX_CHUNK_STREAMS];
    private final int[] peek = new int[MAX_CHUNK_STREAMS];
    private final boolean[] extended = new boolean[MAX_CHUNK_STREAMS];
    private final byte[][] control = new byte[MAX_CHUNK_STREAMS][];

    /** @param throttleBytesPerSecond 0 for a player that reads as fast as it can */
    Player(Target target, SendClock clock, Metrics metrics, long connectNanos, long throttleBytesPerSecond) {
        super(clock, metrics, connectNanos, throttleBytesPerSecond);
        this.target = target;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        state = State.HANDSHAKE;
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof HandshakeComplete) {
            this.ctx = ctx;
            state = State.CONNECTING_APP;
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("app", target.app());
            properties.put("flashVer", "LNX 9,0,124,2");
            properties.put("tcUrl", target.tcUrl());
            properties.put("fpad", false);
            properties.put("capabilities", 15.0);
            properties.put("audioCodecs", 4071.0);
            properties.put("videoCodecs", 252.0);
            properties.put("videoFunction", 1.0);
            sendCommand(COMMAND_CSID, 0, "connect", 1.0, properties);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            readNanos = System.nanoTime();
            bytesIn += in.readableBytes();
            while (in.isReadable() && state != State.FAILED) {
                if (chunkLeft > 0) {
                    payload(in);
                } else {
                    header(in);
                }
            }
        } finally {
            in.release();
        }
        if (ackWindow > 0 && bytesIn - lastAck >= ackWindow) {
            lastAck = bytesIn;
            ByteBuf ack = ctx.alloc().buffer(4).writeInt((int) bytesIn);
            sendControl(3, ack);
        }
        throttle(ctx);
    }

    private void header(ByteBuf in) {
        header[headerLength++] = in.readByte();
        int fmt = (header[0] & 0xff) >> 6;
        int low = header[0] & 0x3f;
        int basic = low == 0 ? 2 : low == 1 ? 3 : 1;
        int need = basic + MESSAGE_HEADER_LENGTH[fmt];
        if (headerLength < need) {
            return;
        }
        int id = low == 0 ? 64 + u8(1) : low == 1 ? 64 + u8(1) + 256 * u8(2) : low;
        int cs = chunkStream(id);
        if (cs < 0) {
            return;
        }
        int field = fmt < 3 ? u24(basic) : 0;
        boolean ext = fmt < 3 ? field == 0xFFFFFF : extended[cs];
        if (ext && headerLength < need + 4) {
            return;
        }
        if (ext) {
            field = (u8(need) << 24) | (u8(need + 1) << 16) | (u8(need + 2) << 8) | u8(need + 3);
        }
        headerLength = 0;
        boolean starts = fmt < 3 || remaining[cs] == 0;
        switch (fmt) {
            case 0 -> {
                timestamp[cs] = field;
                length[cs] = u24(basic + 3);
                type[cs] = u8(basic + 6);
            }
            case 1 -> {
                delta[cs] = field;
                timestamp[cs] += field;
                length[cs] = u24(basic + 3);
                type[cs] = u8(basic + 6);
            }
            case 2 -> {
                delta[cs] = field;
                timestamp[cs] += field;
            }
            default -> {
                if (starts) {
                    timestamp[cs] += delta[cs];
                }
            }
        }
        if (fmt < 3) {
            extended[cs] = ext;
        }
        if (starts) {
            remaining[cs] = length[cs];
            peek[cs] = 0;
            if (length[cs] == 0) {
                message(cs, 0);
                return;
            }
        }
        current = cs;
        chunkLeft = Math.min(chunkSize, remaining[cs]);
    }

    private void payload(ByteBuf in) {
        int cs = current;
        int n = Math.min(chunkLeft, in.readableBytes());
        int offset = length[cs] - remaining[cs];
        int messageType = type[cs];
        if (messageType == 9) {
            for (int i = offset; i < 2 && i < offset + n; i++) {
                peek[cs] = peek[cs] << 8 | in.getUnsignedByte(in.readerIndex() + i - offset);
            }
        } else if (messageType != 8 && messageType != 18 && length[cs] <= MAX_CONTROL_MESSAGE) {
            if (offset == 0 && (control[cs] == null || control[cs].length < length[cs])) {
                control[cs] = new byte[Math.max(256, length[cs])];
            }
            in.getBytes(in.readerIndex(), control[cs], offset, n);
        }
        in.skipBytes(n);
        chunkLeft -= n;
        remaining[cs] -= n;
        if (remaining[cs] == 0) {
            chunkLeft = 0;
            message(cs, length[cs]);
        }
    }

    private void message(int cs, int size) {
        int messageType = type[cs];
        if (messageType != 8 && messageType != 9 && (size == 0 || size > MAX_CONTROL_MESSAGE)) {
            return;
        }
        switch (messageType) {
            case 8, 9 -> media(cs, size);
            case 1 -> chunkSize = Math.max(1, controlInt(cs, 0) & 0x7FFFFFFF);
            case 2 -> abort(controlInt(cs, 0));
            case 5 -> ackWindow = controlInt(cs, 0) & 0xFFFFFFFFL;
            case 4 -> userControl(cs, size);
            case 20 -> command(cs, 0, size);
            case 17 -> command(cs, 1, size);
            default -> { }
        }
    }

    private void abort(int chunkStreamId) {
        for (int i = 0; i < chunkStreams; i++) {
            if (csid[i] == chunkStreamId) {
                remaining[i] = 0;
            }
        }
    }

    private void media(int cs, int size) {
        media(type[cs], timestamp[cs], size, peek[cs]);
    }

    private void userControl(int cs, int size) {
        if (size >= 6 && ((control[cs][0] & 0xff) << 8 | (control[cs][1] & 0xff)) == 6) {
            ByteBuf pong = ctx.alloc().buffer(6).writeShort(7).writeBytes(control[cs], 2, 4);
            sendControl(4, pong);
        }
    }

    private void command(int cs, int skip, int size) {
        List<Object> values = Amf0.readAll(Unpooled.wrappedBuffer(control[cs], skip, size - skip));
        if (values.isEmpty() || !(values.getFirst() instanceof String name)) {
            return;
        }
        double tx = values.size() > 1 && values.get(1) instanceof Number n ? n.doubleValue() : 0;
        switch (name) {
            case "_result" -> {
                if (tx == 1 && state == State.CONNECTING_APP) {
                    state = State.CREATING_STREAM;
                    sendCommand(COMMAND_CSID, 0, "createStream", 2.0, null);
                } else if (tx == 2 && state == State.CREATING_STREAM) {
                    int streamId = values.size() > 3 && values.get(3) instanceof Number n ? n.intValue() : 1;
                    playSentNanos = System.nanoTime();
                    state = State.PLAY_SENT;
                    sendCommand(PLAY_CSID, streamId, "play", 0.0, null, target.stream(), -2.0, -1.0, true);
                }
            }
            case "_error" -> fail("server answered _error to transaction " + tx);
            case "onStatus" -> {
                Object info = values.size() > 3 ? values.get(3) : null;
                String code = info instanceof Map<?, ?> m ? String.valueOf(m.get("code")) : "";
                if (code.endsWith("Failed") || code.endsWith("StreamNotFound") || code.endsWith("Rejected")
                    || code.endsWith("BadName")) {
                    fail("onStatus " + code);
                }
            }
            default -> { }
        }
    }

    private void sendCommand(int chunkStreamId, int streamId, Object... values) {
        ByteBuf payload = ctx.alloc().buffer();
        try {
            Amf0.writeAll(payload, values);
            ctx.writeAndFlush(ChunkEncoder.encode(ctx.alloc(), chunkStreamId, 0, 20, streamId, payload, 128));
        } finally {
            payload.release();
        }
    }

    private void sendControl(int messageType, ByteBuf payload) {
        try {
            ctx.writeAndFlush(ChunkEncoder.encode(ctx.alloc(), CONTROL_CSID, 0, messageType, 0, payload, 128),
                ctx.voidPromise());
        } finally {
            ReferenceCountUtil.release(payload);
        }
    }

    private int chunkStream(int id) {
        for (int i = 0; i < chunkStreams; i++) {
            if (csid[i] == id) {
                return i;
            }
        }
        if (chunkStreams == MAX_CHUNK_STREAMS) {
            fail("server used more than " + MAX_CHUNK_STREAMS + " chunk streams");
            return -1;
        }
        csid[chunkStreams] = id;
        return chunkStreams++;
    }

    private int controlInt(int cs, int at) {
        byte[] b = control[cs];
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private int u8(int at) {
        return header[at] & 0xff;
    }

    private int u24(int at) {
        return u8(at) << 16 | u8(at + 1) << 8 | u8(at + 2);
    }
}
