package onair.testing;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayList;
import java.util.List;

/** The last inbound handler of a test pipeline: keeps every exception that reaches it, so that a test can check them. */
public final class ExceptionRecorder extends ChannelInboundHandlerAdapter {

    private final List<Throwable> exceptions = new ArrayList<>();

    public List<Throwable> exceptions() {
        return exceptions;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        exceptions.add(cause);
    }
}
