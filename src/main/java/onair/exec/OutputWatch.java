package onair.exec;

import onair.stream.StreamKey;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The watchdog's view of the streams an exec child publishes back to this server: the {@code rtmp://} outputs of
 * its command line ({@link Invocation#rtmpOutputs}) that point here, read as {@code rtmp://host[:port]/app/name}.
 * It knows the hub's frame counters only, so the last-frame time it gives is when a check last saw a counter move;
 * with several outputs, that of the stalest.
 */
public final class OutputWatch implements Function<Invocation, LongSupplier> {

    private final Predicate<URI> local;
    private final Function<StreamKey, OptionalLong> framesIn;
    private final LongSupplier nanoClock;

    /**
     * @param local    whether an output URL's host and port are one of this server's RTMP listeners (the port is
     *                 -1 for a URL without one, which means 1935)
     * @param framesIn the frames a live stream has received, empty while there is no such stream
     */
    public OutputWatch(Predicate<URI> local, Function<StreamKey, OptionalLong> framesIn) {
        this(local, framesIn, System::nanoTime);
    }

    OutputWatch(Predicate<URI> local, Function<StreamKey, OptionalLong> framesIn, LongSupplier nanoClock) {
        this.local = local;
        this.framesIn = framesIn;
        this.nanoClock = nanoClock;
    }

    /** The last-frame time of the child's outputs here, or null when it publishes nothing here. */
    @Override
    public LongSupplier apply(Invocation invocation) {
        List<Target> targets = new ArrayList<>();
        for (String output : invocation.rtmpOutputs()) {
            StreamKey key = streamKey(output);
            if (key != null) {
                targets.add(new Target(key));
            }
        }
        if (targets.isEmpty()) {
            return null;
        }
        return () -> {
            long now = nanoClock.getAsLong();
            long stalest = Long.MAX_VALUE;
            for (Target target : targets) {
                long seen = target.check(framesIn.apply(target.key), now);
                if (seen == Long.MIN_VALUE) {
                    return Long.MIN_VALUE;
                }
                stalest = Math.min(stalest, seen);
            }
            return stalest;
        };
    }

    private StreamKey streamKey(String output) {
        URI uri;
        try {
            uri = new URI(output);
        } catch (URISyntaxException e) {
            return null;
        }
        String path = uri.getPath();
        if (path == null || !local.test(uri)) {
            return null;
        }
        int slash = path.indexOf('/', 1);
        if (slash < 0 || slash == path.length() - 1) {
            return null;
        }
        return new StreamKey(path.substring(1, slash), path.substring(slash + 1));
    }

    /** One output stream and when its frame counter was last seen to move. */
    private static final class Target {
        private final StreamKey key;
        private long frames = -1;
        private long movedNanos = Long.MIN_VALUE;

        Target(StreamKey key) {
            this.key = key;
        }

        synchronized long check(OptionalLong current, long now) {
            long count = current.orElse(-1);
            if (count > 0 && count != frames) {
                movedNanos = now;
            }
            frames = count;
            return movedNanos;
        }
    }
}
