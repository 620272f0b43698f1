package onair.lifecycle;

import onair.config.ServerConfig;
import onair.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

class LifecycleTest {

    private static final PlayEvent PLAY = new PlayEvent(ServerConfig.parse(
        "rtmp { server { listen 1935; application live { live on; } } }", "lifecycle.conf").application("live")
        .orElseThrow(), new Peer(1, InetAddress.getLoopbackAddress(), "live", "", "", "", "", "", 0), "key", "", -2, -1,
        false);
    private static final DoneEvent DONE = new DoneEvent(PLAY.app(), PLAY.peer(), "key", "", 0, 0);

    private final List<String> heard = new ArrayList<>();

    private StreamListener answering(String name, CompletionStage<Decision> answer) {
        return new StreamListener() {
            @Override
            public CompletionStage<Decision> onPlay(PlayEvent event) {
                heard.add(name);
                return answer;
            }

            @Override
            public void onPlayDone(DoneEvent event) {
                heard.add(name + " done");
            }
        };
    }

    @Test
    void everyListenerIsAskedInOrderWhenAllAllow() {
        Lifecycle lifecycle = new Lifecycle(List.of(answering("a", StreamListener.ALLOW),
            answering("b", StreamListener.ALLOW)));

        assertThat(lifecycle.onPlay(PLAY).toCompletableFuture().join()).isEqualTo(Decision.ALLOW);
        assertThat(heard).containsExactly("a", "b");
    }

    @Test
    void theFirstRefusalIsTheAnswerAndLaterListenersAreNotAsked() {
        Decision refusal = Decision.reject("denied");
        Lifecycle lifecycle = new Lifecycle(List.of(answering("a", CompletableFuture.completedFuture(refusal)),
            answering("b", StreamListener.ALLOW)));

        assertThat(lifecycle.onPlay(PLAY).toCompletableFuture().join()).isEqualTo(refusal);
        assertThat(heard).containsExactly("a");
    }

    @Test
    void aLaterListenerIsAskedOnlyOnceAnEarlierOneAllowedAsynchronously() {
        CompletableFuture<Decision> pending = new CompletableFuture<>();
        Decision redirect = Decision.redirect("other");
        Lifecycle lifecycle = new Lifecycle(List.of(answering("a", pending),
            answering("b", CompletableFuture.completedFuture(redirect)), answering("c", StreamListener.ALLOW)));

        CompletableFuture<Decision> answer = lifecycle.onPlay(PLAY).toCompletableFuture();
        assertThat(answer).isNotDone();
        assertThat(heard).containsExactly("a");

        pending.complete(Decision.ALLOW);
        assertThat(answer.join()).isEqualTo(redirect);
        assertThat(heard).containsExactly("a", "b");
    }

    @Test
    void aListenerThatThrowsOrFailsRefusesTheEventAndIsLogged() {
        StreamListener throwing = new StreamListener() {
            @Override
            public CompletionStage<Decision> onPlay(PlayEvent event) {
                throw new IllegalStateException("broken");
            }
        };
        try (LogCapture log = new LogCapture(Lifecycle.class)) {
            Decision thrown = new Lifecycle(List.of(throwing, answering("b", StreamListener.ALLOW))).onPlay(PLAY)
                .toCompletableFuture().join();
            Decision failed = new Lifecycle(List.of(answering("a",
                CompletableFuture.failedFuture(new IllegalStateException("gone"))))).onPlay(PLAY)
                .toCompletableFuture().join();

            assertThat(thrown.allowed()).isFalse();
            assertThat(thrown.description()).isEqualTo("internal error");
            assertThat(failed.allowed()).isFalse();
            assertThat(heard).containsExactly("a");
            assertThat(log.lines("")).hasSize(2).allMatch(line -> line.startsWith("play refused:"));
        }
    }

    @Test
    void aNoticeReachesEveryListenerEvenWhenOneThrows() {
        StreamListener throwing = new StreamListener() {
            @Override
            public void onPlayDone(DoneEvent event) {
                throw new IllegalStateException("broken");
            }
        };
        try (LogCapture log = new LogCapture(Lifecycle.class)) {
            new Lifecycle(List.of(answering("a", StreamListener.ALLOW), throwing, answering("b", StreamListener.ALLOW)))
                .onPlayDone(DONE);

            assertThat(heard).containsExactly("a done", "b done");
            assertThat(log.lines("")).singleElement().asString().startsWith("play done:");
        }
    }
}
