package onair.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Tells HTTP/2 with prior knowledge from HTTP/1.x on a plain {@code listen … http2} address by the first bytes: the
 * HTTP/2 connection preface (RFC 9113 §3.4) or anything else, decided at the first byte that differs. It then sets
 * up the pipeline for that protocol and leaves, passing the bytes read on; a peer that sends nothing decisive within
 * {@link #TIMEOUT_MILLIS} is closed.
 */
final class Http2Preface extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(Http2Preface.class);

    static final long TIMEOUT_MILLIS = 10_000;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final BiConsumer<ChannelHandlerContext, Boolean> configure;
    private ScheduledFuture<?> timeout;

    /** {@code configure} adds the handlers after this one: HTTP/2 when told true, HTTP/1.x when told false. */
    Http2Preface(BiConsumer<ChannelHandlerContext, Boolean> configure) {
        this.configure = configure;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> {
            log.info("[{}] closed: no request within {} ms", ctx.channel().remoteAddress(), TIMEOUT_MILLIS);
            ctx.close();
        }, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        timeout.cancel(false);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = Math.min(in.readableBytes(), PREFACE.length);
        boolean same = true;
        for (int i = 0; i < length && same; i++) {
            same = in.getByte(in.readerIndex() + i) == PREFACE[i];
        }
        if (same && length < PREFACE.length) {
            return;
        }
        configure.accept(ctx, same);
        ctx.pipeline().remove(this);
    }
}
