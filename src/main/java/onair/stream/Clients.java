package onair.stream;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The server's client connections: numbers them (nginx's connection number), counts them ({@code naccepted}) and
 * their traffic while open and after they closed, and tells a listener (the access log) about each one that closed.
 */
public final class Clients {

    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong closedBytesIn = new AtomicLong();
    private final AtomicLong closedBytesOut = new AtomicLong();
    private final ConcurrentHashMap<Long, Client> open = new ConcurrentHashMap<>();
    private Sample previous = new Sample(System.nanoTime(), 0, 0);
    private Sample latest = previous;
    private volatile Consumer<Client> onClose = client -> { };

    /** Registers a newly accepted connection from {@code remote} on server block {@code server}. */
    public Client open(Client.Protocol protocol, SocketAddress remote, int server) {
        String address = remote instanceof InetSocketAddress inet && inet.getAddress() != null
            ? inet.getAddress().getHostAddress() : String.valueOf(remote);
        Client client = new Client(ids.incrementAndGet(), protocol, address, server);
        accepted.incrementAndGet();
        open.put(client.id(), client);
        return client;
    }

    /** Unregisters {@code client}, keeps its byte counts in the totals and hands it to the close listener once. */
    public void close(Client client) {
        if (open.remove(client.id(), client)) {
            client.closed();
            closedBytesIn.addAndGet(client.bytesIn());
            closedBytesOut.addAndGet(client.bytesOut());
            onClose.accept(client);
        }
    }

    /** Sets what runs, on the closing connection's thread, for each closed client; it must not block. */
    public void onClose(Consumer<Client> listener) {
        this.onClose = Objects.requireNonNull(listener, "listener");
    }

    public Collection<Client> open() {
        return List.copyOf(open.values());
    }

    public int openCount() {
        return open.size();
    }

    /** Connections accepted since start ({@code naccepted}). */
    public long accepted() {
        return accepted.get();
    }

    public long bytesIn() {
        long sum = closedBytesIn.get();
        for (Client client : open.values()) {
            sum += client.bytesIn();
        }
        return sum;
    }

    public long bytesOut() {
        long sum = closedBytesOut.get();
        for (Client client : open.values()) {
            sum += client.bytesOut();
        }
        return sum;
    }

    /** Server-wide incoming bits per second, averaged since a sample taken at least a second ago. */
    public long bandwidthIn() {
        Sample[] samples = samples();
        return rate(samples[0].nanos, samples[1].nanos, samples[1].bytesIn - samples[0].bytesIn);
    }

    /** Server-wide outgoing bits per second, averaged since a sample taken at least a second ago. */
    public long bandwidthOut() {
        Sample[] samples = samples();
        return rate(samples[0].nanos, samples[1].nanos, samples[1].bytesOut - samples[0].bytesOut);
    }

    private record Sample(long nanos, long bytesIn, long bytesOut) {}

    /**
     * Totals are sampled when read rather than counted per socket operation, so no connection pays for the global
     * rate: the rate spans the last {@link Bandwidth#WINDOW_SECONDS} seconds, or at least one, of reads.
     */
    private synchronized Sample[] samples() {
        long now = System.nanoTime();
        if (now - latest.nanos >= 1_000_000_000L) {
            if (now - previous.nanos >= Bandwidth.WINDOW_SECONDS * 1_000_000_000L) {
                previous = latest;
            }
            latest = new Sample(now, bytesIn(), bytesOut());
        }
        return new Sample[] {previous, latest};
    }

    private static long rate(long from, long to, long bytes) {
        return to <= from ? 0 : (long) (bytes * 8e9 / (to - from));
    }

    public long startMillis() {
        return startMillis;
    }

    /** Seconds since this registry (the server) started. */
    public long uptimeSeconds() {
        return (System.nanoTime() - startNanos) / 1_000_000_000L;
    }
}
