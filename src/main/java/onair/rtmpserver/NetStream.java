package onair.rtmpserver;

import io.netty.util.concurrent.ScheduledFuture;
import onair.stream.LiveStream;
import onair.stream.Publication;
import onair.stream.StreamKey;
import onair.stream.Subscription;

/** One NetStream of a connection: idle, publishing or playing. */
final class NetStream {
    final int id;
    StreamKey key;
    String args = "";
    long startNanos;
    int lastTimestamp;
    ScheduledFuture<?> update;
    Publication publication;
    long lastMediaNanos;
    RtmpPlayer player;
    LiveStream playing;
    Subscription subscription;

    NetStream(int id) {
        this.id = id;
    }
}
