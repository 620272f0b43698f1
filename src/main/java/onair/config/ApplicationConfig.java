package onair.config;

import java.time.Duration;
import java.util.Objects;

/**
 * An {@code application} block with the live-module settings it inherits from its server and the {@code rtmp} block.
 *
 * @param dropIdlePublisher {@link Duration#ZERO} when off
 * @param gopCache          Onair's own directive: new players start with the last cached group of pictures
 * @param accessLog         the {@code access_log} targets of connections to this application
 * @param admission         callbacks, access rules, the application's connection limit and publish tokens
 * @param record            the recorders of this application
 * @param hls               the {@code hls*} directives
 */
public record ApplicationConfig(String name, boolean live, boolean waitKey, boolean waitVideo, boolean publishNotify,
        boolean idleStreams, Duration dropIdlePublisher, boolean playRestart, Meta meta, boolean interleave,
        Duration sync, boolean gopCache, AccessLogConfig accessLog, AdmissionConfig admission,
        RecordConfig record, HlsConfig hls) {

    /** What metadata players receive: rebuilt by the server, the publisher's verbatim, or none. */
    public enum Meta { ON, COPY, OFF }

    public ApplicationConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dropIdlePublisher, "dropIdlePublisher");
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(hls, "hls");
    }

    /** An application without access log, callbacks, access rules or recorders or HLS. */
    public ApplicationConfig(String name, boolean live, boolean waitKey, boolean waitVideo, boolean publishNotify,
            boolean idleStreams, Duration dropIdlePublisher, boolean playRestart, Meta meta, boolean interleave,
            Duration sync, boolean gopCache) {
        this(name, live, waitKey, waitVideo, publishNotify, idleStreams, dropIdlePublisher, playRestart, meta,
            interleave, sync, gopCache, AccessLogConfig.OFF, AdmissionConfig.DEFAULT, RecordConfig.OFF,
            HlsConfig.off());
    }
}
