package onair.lifecycle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One party told of every connection's life by every protocol (RTMP, RTMPS, HTTP-FLV, WebSocket-FLV): access rules,
 * publish tokens, the HTTP callbacks, exec. The deciding events ({@code connect}, {@code publish}, {@code play},
 * {@code update}) answer asynchronously; the others are notices. A publish or play that began is told once as started
 * and once as done. Listeners run in the order nginx-rtmp runs its modules (reference §8.3): access before callbacks,
 * exec last.
 */
public interface StreamListener {

    /** An answer that lets the event go on. */
    CompletionStage<Decision> ALLOW = CompletableFuture.completedFuture(Decision.ALLOW);

    default CompletionStage<Decision> onConnect(ConnectEvent event) {
        return ALLOW;
    }

    default CompletionStage<Decision> onPublish(PublishEvent event) {
        return ALLOW;
    }

    default CompletionStage<Decision> onPlay(PlayEvent event) {
        return ALLOW;
    }

    /** Periodically while a stream is published or played; a refusal ends that publish or play. */
    default CompletionStage<Decision> onUpdate(UpdateEvent event) {
        return ALLOW;
    }

    /** A publish every listener allowed has begun, under its final name (after a redirect); a done event follows. */
    default void onPublishStarted(PublishEvent event) {
    }

    /** A play every listener allowed has begun, under its final name (after a redirect); a done event follows. */
    default void onPlayStarted(PlayEvent event) {
    }

    default void onPublishDone(DoneEvent event) {
    }

    default void onPlayDone(DoneEvent event) {
    }

    /** A connection that had connected has closed. */
    default void onDisconnect(ConnectEvent event) {
    }

    /** A recorder has opened a file. */
    default void onRecordStarted(RecordStartedEvent event) {
    }

    /** A recorder has closed a file. */
    default void onRecordDone(RecordDoneEvent event) {
    }
}
