package onair.testing;

import onair.rtmp.message.CommandMessage;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes a synthetic H.264/AAC stream from the test thread: metadata, sequence headers, then video frames every
 * 40 ms of stream time (a keyframe every {@code gop} frames) with one audio frame after each. Video frame {@code n}
 * carries sequence number {@code n} and timestamp {@code 40 n}.
 */
public final class SyntheticPublisher implements AutoCloseable {

    private final RtmpTestClient client;
    private final int streamId;
    private final int gop;
    private final int frameSize;
    private int next;

    public SyntheticPublisher(InetSocketAddress server, String app, String name, int gop, int frameSize)
        throws InterruptedException {
        this.client = RtmpTestClient.open(server);
        this.gop = gop;
        this.frameSize = frameSize;
        CommandMessage connected = client.connect(app);
        if (!connected.name().equals("_result")) {
            throw new AssertionError("connect refused: " + connected);
        }
        this.streamId = client.createStream();
        CommandMessage status = client.publish(streamId, name);
        String code = RtmpTestClient.code(status);
        if (!code.equals("NetStream.Publish.Start")) {
            throw new AssertionError("publish refused: " + code);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("width", 640.0);
        metadata.put("height", 360.0);
        metadata.put("encoder", "onair-test");
        client.sendData(streamId, "@setDataFrame", "onMetaData", metadata);
        client.sendVideo(streamId, 0, Frames.avcSequenceHeader());
        client.sendAudio(streamId, 0, Frames.aacSequenceHeader());
    }

    public RtmpTestClient client() {
        return client;
    }

    /** Sends the next {@code count} video frames, each followed by an audio frame. */
    public void send(int count) {
        for (int i = 0; i < count; i++, next++) {
            int timestamp = next * 40;
            client.sendVideo(streamId, timestamp, Frames.video(next % gop == 0, next, frameSize));
            client.sendAudio(streamId, timestamp + 1, Frames.audio(next, 32));
        }
    }

    /**
     * Waits until the server has handled everything sent so far: it answers commands in order on the connection's
     * event loop, so the answer to a {@code getStreamLength} follows every frame sent before it.
     */
    public void sync() {
        client.roundTrip(streamId);
    }

    /** The sequence number of the next video frame. */
    public int next() {
        return next;
    }

    @Override
    public void close() {
        client.close();
    }
}
