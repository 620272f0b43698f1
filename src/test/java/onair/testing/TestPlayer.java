package onair.testing;

import io.netty.util.ReferenceCountUtil;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.DataMessage;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.RtmpMessage;
import onair.rtmp.message.UserControl;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A player that records, in order, what it observes: status codes, user control events, data names and, for media,
 * "V42"/"A42" (the sequence number of a {@link SyntheticPublisher} frame), "V-seq"/"A-seq" for sequence headers,
 * with each media timestamp kept beside it.
 */
public final class TestPlayer implements AutoCloseable {

    private final RtmpTestClient client;
    private final List<String> events = new ArrayList<>();
    private final List<Integer> videoSequences = new ArrayList<>();
    private final List<Integer> videoTimestamps = new ArrayList<>();
    private final List<Integer> audioTimestamps = new ArrayList<>();

    private TestPlayer(RtmpTestClient client) {
        this.client = client;
    }

    /** Connects, plays {@code name} and reads up to NetStream.Play.Start, when the server has subscribed it. */
    public static TestPlayer play(InetSocketAddress server, String app, String name) throws InterruptedException {
        RtmpTestClient client = RtmpTestClient.open(server);
        client.connect(app);
        int streamId = client.createStream();
        client.play(streamId, name);
        return new TestPlayer(client).readUntilEvent("NetStream.Play.Start", Duration.ofSeconds(5));
    }

    public RtmpTestClient client() {
        return client;
    }

    /** Reads until a video frame with sequence {@code sequence} arrives or {@code timeout} passes without any message. */
    public TestPlayer readUntilVideo(int sequence, Duration timeout) throws InterruptedException {
        while (videoSequences.isEmpty() || videoSequences.getLast() < sequence) {
            if (!readOne(timeout)) {
                break;
            }
        }
        return this;
    }

    /** Reads until an event containing {@code text} is recorded or {@code timeout} passes without any message. */
    public TestPlayer readUntilEvent(String text, Duration timeout) throws InterruptedException {
        return readUntilEvent(text, 1, timeout);
    }

    /** Reads until {@code occurrences} events equal to {@code text} are recorded, or a read times out. */
    public TestPlayer readUntilEvent(String text, int occurrences, Duration timeout) throws InterruptedException {
        while (events.stream().filter(e -> e.contains(text)).count() < occurrences) {
            if (!readOne(timeout)) {
                break;
            }
        }
        return this;
    }

    private boolean readOne(Duration timeout) throws InterruptedException {
        RtmpMessage message = client.poll(timeout);
        if (message == null) {
            return false;
        }
        try {
            events.add(describe(message));
        } finally {
            ReferenceCountUtil.release(message);
        }
        return true;
    }

    private String describe(RtmpMessage message) {
        return switch (message) {
            case CommandMessage c when c.name().equals("onStatus") ->
                RtmpTestClient.code(c);
            case CommandMessage c -> c.name();
            case DataMessage d -> String.valueOf(d.values().getFirst());
            case UserControl u -> u.event().toString();
            case MediaMessage m -> media(m);
            default -> message.getClass().getSimpleName();
        };
    }

    private String media(MediaMessage m) {
        boolean video = m.typeId() == 9;
        int second = m.payload().getUnsignedByte(m.payload().readerIndex() + 1);
        if (second == 0) {
            return video ? "V-seq" : "A-seq";
        }
        int sequence = Frames.sequence(m.payload());
        if (video) {
            videoSequences.add(sequence);
            videoTimestamps.add(m.timestamp());
        } else {
            audioTimestamps.add(m.timestamp());
        }
        return (video ? "V" : "A") + sequence;
    }

    public List<String> events() {
        return events;
    }

    public List<Integer> videoSequences() {
        return videoSequences;
    }

    public List<Integer> videoTimestamps() {
        return videoTimestamps;
    }

    public List<Integer> audioTimestamps() {
        return audioTimestamps;
    }

    @Override
    public void close() {
        client.close();
    }
}
