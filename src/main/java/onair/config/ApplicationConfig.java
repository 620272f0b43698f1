package onair.config;

import java.time.Duration;
import java.util.Objects;
import onair.stream.LiveOptions;

/**
 * An {@code application} block with the live-module settings it inherits from its server and the {@code rtmp} block.
 *
 * @param dropIdlePublisher {@link Duration#ZERO} when off
 * @param gopCache          Onair's own directive: new players start with the last cached group of pictures
 * @param accessLog         the {@code access_log} targets of connections to this application
 * @param admission         callbacks, access rules, the application's connection limit and publish tokens
 * @param record            the recorders of this application
 * @param hls               the {@code hls*} directives
 * @param exec              the {@code exec*} directives
 * @param relay             the {@code push}/{@code pull} lines and the relay settings
 * @param dash              the {@code dash*} directives
 * @param play              the {@code play} locations files are served from
 */
public record ApplicationConfig(String name, boolean live, boolean waitKey, boolean waitVideo, boolean publishNotify,
        boolean idleStreams, Duration dropIdlePublisher, boolean playRestart, Meta meta, boolean interleave,
        Duration sync, boolean gopCache, AccessLogConfig accessLog, AdmissionConfig admission,
        RecordConfig record, HlsConfig hls, ExecConfig exec, RelayConfig relay, DashConfig dash, PlayConfig play) {

    static final Settings SETTINGS = new Settings();
    static final Setting<Boolean> LIVE = SETTINGS.flag("live", Context.APPLICATIONS, false);
    static final Setting<Boolean> WAIT_KEY = SETTINGS.flag("wait_key", Context.APPLICATIONS, true);
    static final Setting<Boolean> WAIT_VIDEO = SETTINGS.flag("wait_video", Context.APPLICATIONS, false);
    static final Setting<Boolean> PUBLISH_NOTIFY = SETTINGS.flag("publish_notify", Context.APPLICATIONS, false);
    static final Setting<Boolean> IDLE_STREAMS = SETTINGS.flag("idle_streams", Context.APPLICATIONS, true);
    static final Setting<Duration> DROP_IDLE_PUBLISHER =
            SETTINGS.value("drop_idle_publisher", Context.APPLICATIONS, Duration.ZERO, Units::time);
    static final Setting<Boolean> PLAY_RESTART = SETTINGS.flag("play_restart", Context.APPLICATIONS, false);
    static final Setting<Meta> META = SETTINGS.value("meta", Context.APPLICATIONS, Meta.ON, Units::meta);
    static final Setting<Boolean> INTERLEAVE = SETTINGS.flag("interleave", Context.APPLICATIONS, false);
    static final Setting<Duration> SYNC = SETTINGS.value("sync", Context.APPLICATIONS, Duration.ofMillis(300), Units::time);
    static final Setting<Boolean> GOP_CACHE = SETTINGS.flag("gop_cache", Context.APPLICATIONS, true);

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
        Objects.requireNonNull(exec, "exec");
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(dash, "dash");
        Objects.requireNonNull(play, "play");
    }

    /**
     * The options of this application's live streams: its {@code gop_cache}, {@code wait_key}, {@code wait_video} and
     * {@code idle_streams}, with the hub's default GOP cache bounds.
     */
    public LiveOptions liveOptions() {
        LiveOptions defaults = LiveOptions.defaults();
        return new LiveOptions(gopCache, waitKey, waitVideo, idleStreams, defaults.maxGopFrames(),
            defaults.maxGopBytes());
    }

    /** Whether clients may connect to it: it serves live streams, files, or both. */
    public boolean accepts() {
        return live || play.enabled();
    }

    /**
     * Whether HLS is written as playlists over the per-track fragmented-MP4 segments of DASH (one write, two
     * manifests): both on, {@code hls_segment_type fmp4}, the same path, nesting, fragment, playlist length and
     * cleanup, and no HLS feature those segments lack (keys, parts, variants, event playlists, dates, base URL, a
     * maximum fragment other than DASH's ten fragments).
     */
    public boolean hlsOverDash() {
        return hls.enabled() && dash.enabled() && hls.segmentType() == HlsConfig.SegmentType.FMP4
            && hls.path().toAbsolutePath().normalize().equals(dash.path().toAbsolutePath().normalize())
            && hls.nested() == dash.nested() && hls.fragment().equals(dash.fragment())
            && hls.playlistLength().equals(dash.playlistLength()) && hls.cleanup() == dash.cleanup()
            && !hls.keys() && hls.part().isZero() && hls.variants().isEmpty() && hls.type() == HlsConfig.Type.LIVE
            && hls.datetime() == HlsConfig.DateTime.NONE && hls.baseUrl().isEmpty() && hls.maxFragment().equals(hls.fragment().multipliedBy(10));
    }

    /** An application without access log, callbacks, access rules, recorders, HLS or exec lines. */
    public ApplicationConfig(String name, boolean live, boolean waitKey, boolean waitVideo, boolean publishNotify,
            boolean idleStreams, Duration dropIdlePublisher, boolean playRestart, Meta meta, boolean interleave,
            Duration sync, boolean gopCache) {
        this(name, live, waitKey, waitVideo, publishNotify, idleStreams, dropIdlePublisher, playRestart, meta,
            interleave, sync, gopCache, AccessLogConfig.OFF, AdmissionConfig.DEFAULT, RecordConfig.OFF,
            HlsConfig.off(), ExecConfig.OFF, RelayConfig.OFF, DashConfig.off(), PlayConfig.OFF);
    }

    /** The application of {@code app}, whose {@code recorder} blocks are its children. */
    static ApplicationConfig from(Scope app, AccessLogConfig accessLog) {
        return new ApplicationConfig(app.name(), app.get(LIVE), app.get(WAIT_KEY), app.get(WAIT_VIDEO),
                app.get(PUBLISH_NOTIFY), app.get(IDLE_STREAMS), app.get(DROP_IDLE_PUBLISHER), app.get(PLAY_RESTART),
                app.get(META), app.get(INTERLEAVE), app.get(SYNC), app.get(GOP_CACHE), accessLog,
                AdmissionConfig.from(app), RecordConfig.from(app), HlsConfig.from(app), ExecConfig.from(app),
                RelayConfig.from(app), DashConfig.from(app), PlayConfig.from(app));
    }
}
