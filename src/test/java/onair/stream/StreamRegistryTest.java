package onair.stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class StreamRegistryTest {

    private static final StreamKey KEY = new StreamKey("live", "test");

    private final TestFrames frames = new TestFrames();
    private final StreamRegistry registry = new StreamRegistry();

    @AfterEach
    void everyFrameIsReleased() {
        frames.assertAllReleased();
    }

    @Test
    void theSameKeyGivesTheSameStreamAndAnotherKeyAnother() {
        LiveStream first = registry.stream(KEY, LiveOptions.defaults());

        assertThat(registry.stream(new StreamKey("live", "test"), LiveOptions.defaults())).isSameAs(first);
        assertThat(registry.stream(new StreamKey("live", "other"), LiveOptions.defaults())).isNotSameAs(first);
        assertThat(registry.find(KEY)).containsSame(first);
        assertThat(registry.streams()).hasSize(2);
    }

    @Test
    void streamIsRemovedWhenItsLastSubscriberLeavesWithoutAPublisher() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        Subscription subscription = stream.subscribe(new RecordingSubscriber());

        subscription.close();

        assertThat(registry.find(KEY)).isEmpty();
        assertThat(registry.streams()).isEmpty();
        assertThat(registry.stream(KEY, LiveOptions.defaults())).isNotSameAs(stream);
    }

    @Test
    void streamIsKeptWhileItsPublisherIsLiveAndRemovedWhenItLeaves() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        Publication publication = stream.publish();
        stream.subscribe(new RecordingSubscriber()).close();

        assertThat(registry.find(KEY)).containsSame(stream);
        publication.send(frames.frame("K1", 0));
        publication.close();
        assertThat(registry.find(KEY)).isEmpty();
    }

    @Test
    void removeIdleRemovesStreamsLookedUpButNeverUsed() {
        LiveStream unused = registry.stream(KEY, LiveOptions.defaults());
        LiveStream published = registry.stream(new StreamKey("live", "published"), LiveOptions.defaults());
        LiveStream watched = registry.stream(new StreamKey("live", "watched"), LiveOptions.defaults());

        try (Publication ignored = published.publish();
             Subscription alsoIgnored = watched.subscribe(new RecordingSubscriber())) {
            registry.removeIdle();

            assertThat(registry.streams()).containsExactlyInAnyOrder(published, watched);
            assertThat(registry.find(KEY)).isEmpty();
            assertThat(registry.stream(KEY, LiveOptions.defaults())).isNotSameAs(unused);
        }
    }

    @Test
    void publishingOrSubscribingThroughARemovedInstanceLandsOnTheCurrentStream() {
        LiveStream removed = registry.stream(KEY, LiveOptions.defaults());
        removed.subscribe(new RecordingSubscriber()).close();
        RecordingSubscriber player = new RecordingSubscriber();

        try (Subscription ignored = removed.subscribe(player); Publication publication = removed.publish()) {
            publication.send(frames.frame("K1", 0));

            LiveStream current = registry.find(KEY).orElseThrow();
            assertThat(current).isNotSameAs(removed);
            assertThat(current.subscriberCount()).isEqualTo(1);
            assertThat(current.isLive()).isTrue();
            assertThat(player.events()).containsExactly("start", "K1@0");
        }
    }

    @Test
    void concurrentSubscribeUnsubscribeAndRemoveIdleNeverLeaveASubscriberOnARemovedStream()
            throws InterruptedException {
        int threads = 4;
        int iterations = 5_000;
        AtomicInteger stranded = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                awaitQuietly(start);
                for (int i = 0; i < iterations; i++) {
                    try (Subscription ignored = registry.stream(KEY, LiveOptions.defaults())
                            .subscribe(new RecordingSubscriber())) {
                        if (registry.find(KEY).map(LiveStream::subscriberCount).orElse(0) == 0) {
                            stranded.incrementAndGet();
                        }
                    }
                }
            }));
        }
        Thread sweeper = Thread.ofPlatform().start(() -> {
            awaitQuietly(start);
            while (workers.stream().anyMatch(Thread::isAlive)) {
                registry.removeIdle();
            }
        });
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        sweeper.join();

        assertThat(stranded).hasValue(0);
        assertThat(registry.find(KEY)).isEmpty();
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
