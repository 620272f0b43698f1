package onair.http;

import onair.config.HttpLocation;

/**
 * Answers the requests of the locations with one content directive. The built-in server registers one handler per
 * {@link Kind}; features plug theirs in (HTTP-FLV, statistics, control) when the server is wired.
 */
@FunctionalInterface
public interface LocationHandler {

    /** What a location serves, from its content directive. */
    enum Kind {
        /** {@code flv_live on}: live streams as HTTP-FLV or WebSocket-FLV. */
        FLV_LIVE,
        /** {@code rtmp_stat all}: the statistics page. */
        RTMP_STAT,
        /** {@code rtmp_control all}: the control interface. */
        RTMP_CONTROL,
        /** {@code rtmp_metrics on}: Prometheus metrics. */
        METRICS,
        /** {@code root} or {@code alias}: static files. */
        FILES,
        /** {@code location /} without a content directive: the built-in web page and its {@code /api} endpoints. */
        PAGE;

        /** The kind of {@code location}, or null when it serves nothing (every request gets 404). */
        public static Kind of(HttpLocation location) {
            if (location.flvLive()) {
                return FLV_LIVE;
            }
            if (!location.rtmpStat().isEmpty()) {
                return RTMP_STAT;
            }
            if (!location.rtmpControl().isEmpty()) {
                return RTMP_CONTROL;
            }
            if (location.rtmpMetrics()) {
                return METRICS;
            }
            if (location.servesFiles()) {
                return FILES;
            }
            boolean prefix = location.match() == HttpLocation.Match.PREFIX
                    || location.match() == HttpLocation.Match.PREFIX_NO_REGEX;
            return location.path().equals("/") && prefix ? PAGE : null;
        }
    }

    /**
     * Answers one GET or HEAD request whose location has this handler's kind, by calling one of the exchange's
     * {@code respond}/{@code refuse} methods or by streaming through it. Runs on the connection's event loop and must
     * not block: hand disk or other slow work to a bounded executor and answer from there.
     */
    void handle(HttpExchange exchange);
}
