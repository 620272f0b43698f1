package onair.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One light HTTP-FLV player: sends a hand-written HTTP/1.1 GET, checks the response head (status 200, chunked or
 * read-to-close body), then follows the chunked framing (RFC 9112 §7.1) and the FLV tag headers (FLV §E.4.1) of the
 * body while skipping tag payloads in place: no copy, no per-message allocation. It peeks only at the first two bytes
 * of each video tag, to see coded keyframes. Runs on one event loop.
 */
final class HttpFlvPlayer extends Viewer {

    private static final int MAX_HEAD = 8 << 10;
    private static final int FLV_HEADER = 9;
    private static final int TAG_HEADER = 11;
    private static final int PREVIOUS_TAG_SIZE = 4;

    private enum Body { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, PLAIN, ENDED }

    private final FlvUrl url;
    private Body body = Body.HEAD;
    private byte[] head = new byte[512];
    private int headLength;
    private long chunkLeft;
    private boolean chunkSizeDone;

    private boolean flvHeaderSeen;
    private final byte[] tagHeader = new byte[TAG_HEADER];
    private int collected;
    private long skip;
    private int tagType;
    private int tagSize;
    private int tagTimestamp;
    private int tagLeft;
    private int peek;

    /** @param throttleBytesPerSecond 0 for a player that reads as fast as it can */
    HttpFlvPlayer(FlvUrl url, SendClock clock, Metrics metrics, long connectNanos, long throttleBytesPerSecond) {
        super(clock, metrics, connectNanos, throttleBytesPerSecond);
        this.url = url;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        playSentNanos = System.nanoTime();
        state = State.PLAY_SENT;
        ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), url.request()), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            readNanos = System.nanoTime();
            bytesIn += in.readableBytes();
            while (in.isReadable() && state != State.FAILED) {
                switch (body) {
                    case HEAD -> head(in);
                    case CHUNK_SIZE -> chunkSize(in);
                    case CHUNK_DATA -> {
                        int n = (int) Math.min(chunkLeft, in.readableBytes());
                        flv(in, n);
                        chunkLeft -= n;
                        if (chunkLeft == 0) {
                            body = Body.CHUNK_END;
                        }
                    }
                    case CHUNK_END -> {
                        if (in.readByte() == '\n') {
                            body = Body.CHUNK_SIZE;
                        }
                    }
                    case PLAIN -> flv(in, in.readableBytes());
                    case ENDED -> in.skipBytes(in.readableBytes());
                }
            }
        } finally {
            in.release();
        }
        throttle(ctx);
    }

    private void head(ByteBuf in) {
        while (in.isReadable()) {
            if (headLength == head.length) {
                if (head.length == MAX_HEAD) {
                    fail("HTTP response head longer than " + MAX_HEAD + " bytes");
                    return;
                }
                head = Arrays.copyOf(head, Math.min(MAX_HEAD, head.length * 2));
            }
            head[headLength++] = in.readByte();
            if (headLength >= 4 && head[headLength - 1] == '\n' && head[headLength - 2] == '\r'
                && head[headLength - 3] == '\n' && head[headLength - 4] == '\r') {
                String text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
                head = null;
                String status = text.substring(0, text.indexOf('\r'));
                if (!status.matches("HTTP/1\\.[01] 200 .*|HTTP/1\\.[01] 200")) {
                    fail("HTTP " + status);
                    return;
                }
                body = text.toLowerCase(Locale.ROOT).matches("(?s).*\r\ntransfer-encoding:[ \t]*chunked\r\n.*")
                    ? Body.CHUNK_SIZE : Body.PLAIN;
                return;
            }
        }
    }

    private void chunkSize(ByteBuf in) {
        int b = in.readByte();
        if (b == '\n') {
            if (chunkLeft == 0) {
                body = Body.ENDED;
                fail("the server ended the response");
                return;
            }
            body = Body.CHUNK_DATA;
            chunkSizeDone = false;
        } else if (b == ';' || b == '\r' || b == ' ') {
            chunkSizeDone = true;
        } else if (!chunkSizeDone) {
            int digit = Character.digit(b, 16);
            if (digit < 0 || chunkLeft > (Long.MAX_VALUE >> 4)) {
                fail("bad chunk size byte " + b);
                return;
            }
            chunkLeft = chunkLeft << 4 | digit;
        }
    }

    /** Consumes exactly {@code n} bytes of FLV from {@code in}. */
    private void flv(ByteBuf in, int n) {
        int end = in.readerIndex() + n;
        while (in.readerIndex() < end && state != State.FAILED) {
            int available = end - in.readerIndex();
            if (skip > 0) {
                int k = (int) Math.min(skip, available);
                in.skipBytes(k);
                skip -= k;
            } else if (tagLeft > 0) {
                int k = Math.min(tagLeft, available);
                for (int i = tagSize - tagLeft; i < 2 && i < tagSize - tagLeft + k; i++) {
                    peek = peek << 8 | in.getUnsignedByte(in.readerIndex() + i - (tagSize - tagLeft));
                }
                in.skipBytes(k);
                tagLeft -= k;
                if (tagLeft == 0) {
                    tag();
                }
            } else {
                int want = flvHeaderSeen ? TAG_HEADER : FLV_HEADER;
                int k = Math.min(want - collected, available);
                in.readBytes(tagHeader, collected, k);
                collected += k;
                if (collected == want) {
                    collected = 0;
                    if (flvHeaderSeen) {
                        tagHeader();
                    } else {
                        flvHeader();
                    }
                }
            }
        }
        if (in.readerIndex() < end) {
            in.readerIndex(end);
        }
    }

    private void flvHeader() {
        if (tagHeader[0] != 'F' || tagHeader[1] != 'L' || tagHeader[2] != 'V') {
            fail("the body is not FLV");
            return;
        }
        int offset = u8(5) << 24 | u8(6) << 16 | u8(7) << 8 | u8(8);
        flvHeaderSeen = true;
        skip = Math.max(0, offset - FLV_HEADER) + PREVIOUS_TAG_SIZE;
    }

    private void tagHeader() {
        tagType = u8(0) & 0x1f;
        tagSize = u8(1) << 16 | u8(2) << 8 | u8(3);
        tagTimestamp = u8(7) << 24 | u8(4) << 16 | u8(5) << 8 | u8(6);
        tagLeft = tagSize;
        peek = 0;
        if (tagSize == 0) {
            tag();
        }
    }

    private void tag() {
        skip = PREVIOUS_TAG_SIZE;
        if (tagType == 8 || tagType == 9) {
            media(tagType, tagTimestamp, tagSize, peek);
        }
    }

    private int u8(int at) {
        return tagHeader[at] & 0xff;
    }
}
