package onair.stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamObserverTest {

    private static final StreamKey KEY = new StreamKey("live", "test");

    private final TestFrames frames = new TestFrames();
    private final StreamRegistry registry = new StreamRegistry();

    @AfterEach
    void everyFrameIsReleased() {
        frames.assertAllReleased();
    }

    @Test
    void observerHearsOfEachPublicationOnceOutsideTheLockAndASubscriberItAttachesGetsEveryFrame() {
        List<LiveStream> published = new ArrayList<>();
        List<RecordingSubscriber> attached = new ArrayList<>();
        registry.observe(stream -> {
            published.add(stream);
            RecordingSubscriber subscriber = new RecordingSubscriber();
            Thread other = Thread.ofPlatform().start(() -> stream.subscribe(subscriber));
            try {
                assertThat(other.join(java.time.Duration.ofSeconds(5))).as("subscribed from another thread").isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            attached.add(subscriber);
        });
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());

        Publication first = stream.publish();
        first.send(frames.frame("V", 0));
        first.send(frames.frame("K1", 0));
        first.close();
        Publication second = stream.publish();
        second.send(frames.frame("K2", 40));
        assertThat(stream.publish()).isNull();
        second.close();

        assertThat(published).containsExactly(stream, stream);
        assertThat(attached.get(0).events()).containsExactly("V@0", "K1@0", "stop", "start", "K2@40", "stop");
        assertThat(attached.get(1).events()).containsExactly("K2@40", "stop");
    }

    @Test
    void anObserverThatThrowsKeepsNeitherTheOthersNorThePublisherFromGoingOn() {
        List<LiveStream> published = new ArrayList<>();
        registry.observe(stream -> {
            throw new IllegalStateException("broken output");
        });
        registry.observe(published::add);

        Publication publication = registry.stream(KEY, LiveOptions.defaults()).publish();

        assertThat(publication).isNotNull();
        assertThat(published).hasSize(1);
        publication.close();
    }

    @Test
    void closedObservationHearsOfNoMorePublications() throws Exception {
        List<LiveStream> published = new ArrayList<>();
        AutoCloseable observation = registry.observe(published::add);
        registry.stream(KEY, LiveOptions.defaults()).publish().close();

        observation.close();
        registry.stream(KEY, LiveOptions.defaults()).publish().close();

        assertThat(published).hasSize(1);
    }
}
