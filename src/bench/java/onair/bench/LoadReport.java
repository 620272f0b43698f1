package onair.bench;

import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one load run: client counts, delivered throughput over the measurement window, the latency
 * distributions, byte and message totals over the whole run, the server's CPU and RSS when a pid was given, and the
 * bytes the players' event loops allocated per media message received in the window. Throttled players count in
 * throughput only: {@code ok}, {@code failed}, {@code stalled}, latency and lag are over the others.
 */
public record LoadReport(String label, String url, int players, int publishers, double windowSeconds,
                         int ok, int failed, int stalled, int lagging, int throttled,
                         Map<String, Integer> failures,
                         long windowBytes, double deliveredMbps,
                         long bytesReceived, long videoMessages, long audioMessages, long mediaPayloadBytes,
                         long publishedMessages, long publishedPayloadBytes,
                         Percentiles firstFrameMs, Percentiles latencyMs, double lagP95Ms, double lagMaxMs,
                         double serverCpuSeconds, double serverCoreSecondsPerGbit, long serverRssKb,
                         double generatorCpuSeconds, double playerBytesAllocatedPerMessage, Heap serverHeap) {

    /**
     * The server JVM's heap activity over the window (null for a server that is not a JVM): bytes allocated by all
     * its threads, the media messages the players received meanwhile, and the number and summed duration of its GC
     * pauses.
     */
    public record Heap(long allocatedBytes, long deliveredMessages, long pauses, long pauseMillis) {

        String json(double windowSeconds) {
            return String.format(Locale.ROOT, "{\"allocatedBytes\": %d, \"allocatedMBps\": %.3f, "
                    + "\"allocatedBytesPerDeliveredMessage\": %.1f, \"gcPauses\": %d, \"gcPauseMillis\": %d}",
                allocatedBytes, allocatedBytes / windowSeconds / 1e6, (double) allocatedBytes / Math.max(1, deliveredMessages),
                pauses, pauseMillis);
        }
    }

    /** Percentiles in milliseconds of a histogram recorded in microseconds. */
    public record Percentiles(long count, double p50, double p95, double p99, double max) {

        static Percentiles of(Histogram micros) {
            return new Percentiles(micros.count(), micros.percentile(50) / 1000.0, micros.percentile(95) / 1000.0,
                micros.percentile(99) / 1000.0, micros.max() / 1000.0);
        }

        String json() {
            return String.format(Locale.ROOT, "{\"count\": %d, \"p50\": %.3f, \"p95\": %.3f, \"p99\": %.3f, \"max\": %.3f}",
                count, p50, p95, p99, max);
        }
    }

    public String summary() {
        return String.format(Locale.ROOT,
            "%s%d/%d players ok (%d failed, %d stalled, %d lagging > 1 s, %d throttled), %.1f Mbit/s, first frame p50/p95/p99 "
                + "%.0f/%.0f/%.0f ms, latency p50/p99 %.1f/%.1f ms, lag p95/max %.0f/%.0f ms%s",
            label.isEmpty() ? "" : label + ": ", ok, players, failed, stalled, lagging, throttled, deliveredMbps,
            firstFrameMs.p50(), firstFrameMs.p95(), firstFrameMs.p99(), latencyMs.p50(), latencyMs.p99(), lagP95Ms,
            lagMaxMs, Double.isNaN(serverCpuSeconds) ? "" : String.format(Locale.ROOT,
                ", server %.3f core-s/Gbit, RSS %d MB", serverCoreSecondsPerGbit, serverRssKb / 1024));
    }

    public String toJson() {
        StringBuilder failuresJson = new StringBuilder("{");
        failures.forEach((reason, count) -> failuresJson.append(failuresJson.length() > 1 ? ", " : "")
            .append('"').append(reason.replace("\\", "\\\\").replace("\"", "\\\"")).append("\": ").append(count));
        failuresJson.append('}');
        return String.format(Locale.ROOT, """
            {
              "label": "%s",
              "url": "%s",
              "players": %d,
              "publishers": %d,
              "windowSeconds": %.3f,
              "clients": {"ok": %d, "failed": %d, "stalled": %d, "lagging": %d, "throttled": %d},
              "failures": %s,
              "windowBytes": %d,
              "deliveredMbps": %.3f,
              "bytesReceived": %d,
              "videoMessages": %d,
              "audioMessages": %d,
              "mediaPayloadBytes": %d,
              "publishedMessages": %d,
              "publishedPayloadBytes": %d,
              "firstFrameMs": %s,
              "latencyMs": %s,
              "lagMs": {"p95": %.1f, "max": %.1f},
              "server": {"cpuSeconds": %s, "coreSecondsPerGbit": %s, "rssKb": %d},
              "generatorCpuSeconds": %.3f,
              "playerBytesAllocatedPerMessage": %.1f,
              "serverHeap": %s
            }
            """, label, url, players, publishers, windowSeconds, ok, failed, stalled, lagging, throttled, failuresJson,
            windowBytes, deliveredMbps, bytesReceived, videoMessages, audioMessages, mediaPayloadBytes,
            publishedMessages, publishedPayloadBytes, firstFrameMs.json(), latencyMs.json(), lagP95Ms, lagMaxMs,
            number(serverCpuSeconds), number(serverCoreSecondsPerGbit), serverRssKb, generatorCpuSeconds,
            playerBytesAllocatedPerMessage,
            serverHeap == null ? "null" : serverHeap.json(windowSeconds));
    }

    private static String number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.format(Locale.ROOT, "%.4f", value);
    }
}
