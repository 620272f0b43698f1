package onair.rtmpserver;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import onair.lifecycle.Decision;
import onair.rtmp.RtmpProtocolException;
import onair.rtmp.message.RtmpMessage;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Waits for the {@link onair.lifecycle.Lifecycle}'s decisions on a connection: while one is pending the connection
 * stops reading and the messages it had already read are held back, to be handled in order once the decision is made.
 */
final class DecisionGate {

    private static final int MAX_HELD_MESSAGES = 1024;

    private final RtmpSession session;
    private final ArrayDeque<RtmpMessage> held = new ArrayDeque<>();
    private boolean deciding;

    DecisionGate(RtmpSession session) {
        this.session = session;
    }

    /** Keeps {@code message} for later and returns true while a decision is pending; returns false otherwise. */
    boolean hold(RtmpMessage message) {
        if (!deciding) {
            return false;
        }
        if (held.size() >= MAX_HELD_MESSAGES) {
            throw new RtmpProtocolException("more than " + MAX_HELD_MESSAGES
                + " messages sent while a callback was pending");
        }
        held.add(ReferenceCountUtil.retain(message));
        return true;
    }

    /**
     * Runs {@code then} with the decision on this event loop: at once when it is already made, otherwise once it
     * arrives, reading nothing meanwhile and then handling the messages held back in order.
     */
    void decide(CompletionStage<Decision> answer, Consumer<Decision> then) {
        await(answer, (made, error) -> then.accept(error == null ? made : Decision.reject("callback failed: " + error)),
            made -> { });
    }

    /**
     * Like {@link #decide} for any outcome: {@code then} gets the value, or the error it failed with; a value that
     * arrives after the connection closed goes to {@code unclaimed}.
     */
    <T> void await(CompletionStage<T> answer, BiConsumer<T, Throwable> then, Consumer<T> unclaimed) {
        CompletableFuture<T> outcome = answer.toCompletableFuture();
        if (outcome.isDone()) {
            T value = null;
            Throwable failure = null;
            try {
                value = outcome.join();
            } catch (CompletionException e) {
                failure = e.getCause();
            }
            then.accept(value, failure);
            return;
        }
        ChannelHandlerContext ctx = session.ctx();
        deciding = true;
        ctx.channel().config().setAutoRead(false);
        outcome.whenComplete((value, error) -> ctx.executor().execute(() -> {
            if (!ctx.channel().isActive()) {
                if (value != null) {
                    unclaimed.accept(value);
                }
                return;
            }
            deciding = false;
            ctx.channel().config().setAutoRead(true);
            try {
                then.accept(value, error instanceof CompletionException wrapped ? wrapped.getCause() : error);
                while (!deciding && !held.isEmpty() && !session.closing()) {
                    RtmpMessage message = held.poll();
                    try {
                        session.handle(message);
                    } finally {
                        ReferenceCountUtil.release(message);
                    }
                }
            } catch (RuntimeException e) {
                session.exceptionCaught(ctx, e);
            }
        }));
    }

    /** Releases the messages still held, when the connection is gone. */
    void release() {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }
}
