package onair.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What a load run does: {@code players} RTMP players and {@code publishers} FLV publishers against {@code url},
 * players joining at {@code rate} per second, then {@code settleSeconds} to let joins finish and a measurement
 * window of {@code durationSeconds}.
 *
 * @param serverPid a process to charge CPU and RSS to over the window (0: none)
 * @param throttledFraction the share of players (spread evenly over the ramp) that read at only
 *                          {@code throttleKbps}, to show that slow clients do not hurt the others
 * @param publishUrl        where the publishers publish over RTMP; null: {@code url}, which must then be rtmp://
 * @param sourceAddresses   players connect from 127.0.0.1 … 127.0.0.N in turn (1: the system's choice)
 */
public record LoadOptions(String url, int players, int publishers, Path flv, double rate, double durationSeconds,
                          double settleSeconds, int threads, long stallMillis, long serverPid, Path out,
                          String label, double throttledFraction, int throttleKbps, String publishUrl,
                          int sourceAddresses) {

    static final String USAGE = """
        usage: bench/run --url rtmp://host:port/app/stream [options]
               bench/run --url http://host:port/dir/stream.flv --publish-url rtmp://host:port/app/stream [options]
          --url URL          what the players play: rtmp:// (RTMP players) or http://…/STREAM.flv (HTTP-FLV players)
          --publish-url URL  the rtmp:// URL the publishers publish to (default: --url, which must then be rtmp://)
          --players N        players to open (100)
          --publishers P     publishers replaying --flv in real time, looping (0: play what someone else publishes);
                             with P > 1 publisher i publishes stream_i and player j plays stream_(j mod P)
          --flv FILE         the FLV file the publishers replay
          --rate R           player connections started per second (100)
          --settle S         seconds between the last connection and the measurement window (3)
          --duration S       length of the measurement window in seconds (20)
          --threads T        event loops for the players (1)
          --stall-ms MS      a player without media for this long at the end is stalled (2000)
          --server-pid PID   charge this process's CPU (utime+stime) and RSS to the window
          --out FILE         write the report as JSON
          --label NAME       a name for the run in the report
          --throttled F      this fraction of the players reads slowly (0); they are reported apart and
                             count neither in latency nor in lag
          --throttle-kbps K  how fast a throttled player reads, in kbit/s (100)
          --source-addresses N  spread the players over the local addresses 127.0.0.1 … 127.0.0.N (1), to stay
                             under a per-address connection limit of a server on loopback (Onair HTTP: 256)""";

    public LoadOptions {
        if (players < 0 || publishers < 0 || rate <= 0 || durationSeconds <= 0 || settleSeconds < 0 || threads < 1) {
            throw new IllegalArgumentException("players, publishers ≥ 0; rate, duration > 0; threads ≥ 1");
        }
        if (throttledFraction < 0 || throttledFraction > 1 || throttleKbps < 1) {
            throw new IllegalArgumentException("--throttled is a fraction from 0 to 1, --throttle-kbps ≥ 1");
        }
        if (publishers > 0 && flv == null) {
            throw new IllegalArgumentException("--publishers needs --flv");
        }
        if (sourceAddresses < 1 || sourceAddresses > 254) {
            throw new IllegalArgumentException("--source-addresses is from 1 to 254");
        }
        if (url.startsWith("http:")) {
            FlvUrl.parse(url);
            if (publishers > 0 && publishUrl == null) {
                throw new IllegalArgumentException("HTTP-FLV players with --publishers need --publish-url rtmp://…");
            }
        } else {
            Target.parse(url);
        }
        if (publishUrl != null) {
            Target.parse(publishUrl);
        }
    }

    /** Whether the players are HTTP-FLV players. */
    boolean http() {
        return url.startsWith("http:");
    }

    /** Options with defaults, for tests: no settle time, one event loop, no server process, no output file. */
    public static LoadOptions of(String url, int players, int publishers, Path flv, double rate, double duration) {
        return of(url, null, players, publishers, flv, rate, duration);
    }

    /** Options with defaults, the publishers publishing to {@code publishUrl} (needed for HTTP-FLV players). */
    public static LoadOptions of(String url, String publishUrl, int players, int publishers, Path flv, double rate,
                                 double duration) {
        return new LoadOptions(url, players, publishers, flv, rate, duration, 0, 1, 2000, 0, null, "", 0, 100,
            publishUrl, 1);
    }

    /** These options with {@code fraction} of the players reading at only {@code kbps}. */
    public LoadOptions throttled(double fraction, int kbps) {
        return new LoadOptions(url, players, publishers, flv, rate, durationSeconds, settleSeconds, threads,
            stallMillis, serverPid, out, label, fraction, kbps, publishUrl, sourceAddresses);
    }

    /** Whether player {@code index} is one of the throttled ones: they are spread evenly over the ramp. */
    boolean throttled(int index) {
        return Math.floor((index + 1) * throttledFraction) > Math.floor(index * throttledFraction);
    }

    public static LoadOptions parse(String... args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            values.put(args[i].substring(2), args[++i]);
        }
        String url = values.remove("url");
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        String flv = values.remove("flv");
        String out = values.remove("out");
        LoadOptions options = new LoadOptions(url,
            Integer.parseInt(values.getOrDefault("players", "100")),
            Integer.parseInt(values.getOrDefault("publishers", "0")),
            flv == null ? null : Path.of(flv),
            Double.parseDouble(values.getOrDefault("rate", "100")),
            Double.parseDouble(values.getOrDefault("duration", "20")),
            Double.parseDouble(values.getOrDefault("settle", "3")),
            Integer.parseInt(values.getOrDefault("threads", "1")),
            Long.parseLong(values.getOrDefault("stall-ms", "2000")),
            Long.parseLong(values.getOrDefault("server-pid", "0")),
            out == null ? null : Path.of(out),
            values.getOrDefault("label", ""),
            Double.parseDouble(values.getOrDefault("throttled", "0")),
            Integer.parseInt(values.getOrDefault("throttle-kbps", "100")),
            values.get("publish-url"),
            Integer.parseInt(values.getOrDefault("source-addresses", "1")));
        values.keySet().removeAll(java.util.Set.of("players", "publishers", "rate", "duration", "settle", "threads",
            "stall-ms", "server-pid", "label", "throttled", "throttle-kbps", "publish-url", "source-addresses"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + values.keySet());
        }
        return options;
    }
}
