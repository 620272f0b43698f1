package onair.stream;

import onair.media.MediaFrame;

/** The publisher's handle on a live stream; a stream has at most one at a time. */
public interface Publication extends AutoCloseable {

    /** Takes ownership of {@code frame} and fans it out to every subscriber. */
    void send(MediaFrame frame);

    /** Takes ownership of an {@code onMetaData} body (a DATA frame), cached for late joiners and fanned out. */
    void sendMetadata(MediaFrame frame);

    /** Unpublishes; idempotent. Subscribers get {@code onPublishStop} and stay subscribed. */
    @Override
    void close();
}
