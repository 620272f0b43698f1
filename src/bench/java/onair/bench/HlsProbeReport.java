package onair.bench;

import java.util.Locale;

/**
 * The outcome of an {@link HlsProbe} run: the playlist's targets and how it was reloaded, and for parts and for
 * whole segments the time from the publisher sending their first frame until the probe had downloaded them, i.e.
 * how far behind live a client can be that plays each as soon as it is listed.
 *
 * @param pollMillis the polling interval (0 with blocking reload)
 * @param unmatched  downloads whose start time the publisher's clock did not know (not counted in the latencies)
 * @param errors     requests answered with another status than 200
 */
public record HlsProbeReport(String label, String url, String segmentType, String reload, long pollMillis,
                             long targetDurationSeconds, double partTargetSeconds, double partHoldBackSeconds,
                             boolean canBlockReload, double windowSeconds, long playlistRequests,
                             LoadReport.Percentiles partsBehindLiveMs, LoadReport.Percentiles segmentsBehindLiveMs,
                             int unmatched, int errors) {

    public String summary() {
        return String.format(Locale.ROOT,
            "%sHLS %s, %s reload: parts behind live p50/p95/max %.0f/%.0f/%.0f ms (%d), segments %.0f/%.0f/%.0f ms "
                + "(%d); PART-TARGET %.3f s, PART-HOLD-BACK %.3f s, TARGETDURATION %d s; %d unmatched, %d errors",
            label.isEmpty() ? "" : label + ": ", segmentType, reload, partsBehindLiveMs.p50(), partsBehindLiveMs.p95(),
            partsBehindLiveMs.max(), partsBehindLiveMs.count(), segmentsBehindLiveMs.p50(), segmentsBehindLiveMs.p95(),
            segmentsBehindLiveMs.max(), segmentsBehindLiveMs.count(), partTargetSeconds, partHoldBackSeconds,
            targetDurationSeconds, unmatched, errors);
    }

    public String toJson() {
        return String.format(Locale.ROOT, """
            {
              "probe": "hls",
              "label": "%s",
              "url": "%s",
              "segmentType": "%s",
              "reload": "%s",
              "pollMillis": %d,
              "targetDurationSeconds": %d,
              "partTargetSeconds": %.3f,
              "partHoldBackSeconds": %.3f,
              "canBlockReload": %b,
              "windowSeconds": %.3f,
              "playlistRequests": %d,
              "partsBehindLiveMs": %s,
              "segmentsBehindLiveMs": %s,
              "unmatched": %d,
              "errors": %d
            }
            """, label, url, segmentType, reload, pollMillis, targetDurationSeconds, partTargetSeconds,
            partHoldBackSeconds, canBlockReload, windowSeconds, playlistRequests, partsBehindLiveMs.json(),
            segmentsBehindLiveMs.json(), unmatched, errors);
    }
}
