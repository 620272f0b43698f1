package onair.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The ordered list of {@link StreamListener}s, told of an event as one listener. A deciding event asks each listener
 * in turn, the next only once the one before allowed; the first refusal or redirect is the answer. A listener that
 * throws, or whose answer fails, refuses the event and is logged; one that throws from a notice is logged and the
 * others are still told.
 */
public final class Lifecycle implements StreamListener {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final List<StreamListener> listeners;

    public Lifecycle(List<? extends StreamListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public CompletionStage<Decision> onConnect(ConnectEvent event) {
        return decide("connect", listener -> listener.onConnect(event), 0);
    }

    @Override
    public CompletionStage<Decision> onPublish(PublishEvent event) {
        return decide("publish", listener -> listener.onPublish(event), 0);
    }

    @Override
    public CompletionStage<Decision> onPlay(PlayEvent event) {
        return decide("play", listener -> listener.onPlay(event), 0);
    }

    @Override
    public CompletionStage<Decision> onUpdate(UpdateEvent event) {
        return decide("update", listener -> listener.onUpdate(event), 0);
    }

    @Override
    public void onPublishStarted(PublishEvent event) {
        tell("publish started", listener -> listener.onPublishStarted(event));
    }

    @Override
    public void onPlayStarted(PlayEvent event) {
        tell("play started", listener -> listener.onPlayStarted(event));
    }

    @Override
    public void onPublishDone(DoneEvent event) {
        tell("publish done", listener -> listener.onPublishDone(event));
    }

    @Override
    public void onPlayDone(DoneEvent event) {
        tell("play done", listener -> listener.onPlayDone(event));
    }

    @Override
    public void onDisconnect(ConnectEvent event) {
        tell("disconnect", listener -> listener.onDisconnect(event));
    }

    @Override
    public void onRecordStarted(RecordStartedEvent event) {
        tell("record started", listener -> listener.onRecordStarted(event));
    }

    @Override
    public void onRecordDone(RecordDoneEvent event) {
        tell("record done", listener -> listener.onRecordDone(event));
    }

    private CompletionStage<Decision> decide(String event, Function<StreamListener, CompletionStage<Decision>> ask,
            int from) {
        for (int i = from; i < listeners.size(); i++) {
            StreamListener listener = listeners.get(i);
            CompletableFuture<Decision> answer = ask(event, listener, ask);
            if (!answer.isDone()) {
                int next = i + 1;
                return answer.thenCompose(decision -> decision.verdict() == Decision.Verdict.ALLOW
                    ? decide(event, ask, next) : CompletableFuture.completedFuture(decision));
            }
            Decision decision = answer.join();
            if (decision.verdict() != Decision.Verdict.ALLOW) {
                return answer;
            }
        }
        return ALLOW;
    }

    private static CompletableFuture<Decision> ask(String event, StreamListener listener,
            Function<StreamListener, CompletionStage<Decision>> ask) {
        try {
            return ask.apply(listener).toCompletableFuture()
                .exceptionally(failure -> failed(event, listener, failure));
        } catch (RuntimeException failure) {
            return CompletableFuture.completedFuture(failed(event, listener, failure));
        }
    }

    private static Decision failed(String event, StreamListener listener, Throwable failure) {
        log.error("{} refused: {} failed", event, listener.getClass().getSimpleName(), failure);
        return Decision.reject(listener.getClass().getSimpleName() + " failed", "internal error");
    }

    private void tell(String event, Consumer<StreamListener> notice) {
        for (StreamListener listener : listeners) {
            try {
                notice.accept(listener);
            } catch (RuntimeException failure) {
                log.error("{}: {} failed", event, listener.getClass().getSimpleName(), failure);
            }
        }
    }
}
