package onair.stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class LiveStreamConcurrencyTest {

    private static final int FRAMES = 5_000;
    private static final int SUBSCRIBERS = 8;
    private static final int GOP = 30;

    private final TestFrames frames = new TestFrames();

    @AfterEach
    void everyFrameIsReleased() {
        frames.assertAllReleased();
    }

    @Test
    void subscribersJoiningDuringPublishingGetTheCacheThenEveryLaterFrameExactlyOnce() throws InterruptedException {
        LiveStream stream = new StreamRegistry().stream(new StreamKey("live", "test"), LiveOptions.defaults());
        Publication publication = stream.publish();
        publication.sendMetadata(frames.frame("M", 0));
        publication.send(frames.frame("V", 0));
        publication.send(frames.frame("A", 0));
        CountDownLatch[] joinAfter = new CountDownLatch[FRAMES];
        RecordingSubscriber[] subscribers = new RecordingSubscriber[SUBSCRIBERS];
        Subscription[] subscriptions = new Subscription[SUBSCRIBERS];
        List<Thread> joiners = new ArrayList<>();
        for (int s = 0; s < SUBSCRIBERS; s++) {
            int frame = s * (FRAMES - 1) / SUBSCRIBERS;
            CountDownLatch latch = joinAfter[frame] = new CountDownLatch(1);
            int index = s;
            subscribers[s] = new RecordingSubscriber();
            joiners.add(Thread.ofPlatform().start(() -> {
                StreamRegistryTest.awaitQuietly(latch);
                subscriptions[index] = stream.subscribe(subscribers[index]);
            }));
        }

        for (int n = 0; n < FRAMES; n++) {
            publication.send(frames.frame((n % GOP == 0 ? "K" : "P") + n, n * 10));
            if (joinAfter[n] != null) {
                joinAfter[n].countDown();
            }
        }
        for (Thread joiner : joiners) {
            joiner.join();
        }
        publication.close();

        for (int s = 0; s < SUBSCRIBERS; s++) {
            subscriptions[s].close();
            assertThat(subscriptions[s].live()).isTrue();
            assertCacheThenEveryFrameOnce(subscribers[s].events());
        }
    }

    private static void assertCacheThenEveryFrameOnce(List<String> events) {
        String first = events.get(3);
        int firstNumber = Integer.parseInt(first.substring(1, first.indexOf('@')));
        String cacheTime = "@" + firstNumber * 10;
        assertThat(events.subList(0, 3)).containsExactly("M@0", "V" + cacheTime, "A" + cacheTime);
        assertThat(first).startsWith("K");
        List<String> expected = new ArrayList<>();
        for (int n = firstNumber; n < FRAMES; n++) {
            expected.add((n % GOP == 0 ? "K" : "P") + n + "@" + n * 10);
        }
        expected.add("stop");
        assertThat(events.subList(3, events.size())).isEqualTo(expected);
    }
}
