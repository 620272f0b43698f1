package onair.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A slowloris peer, run as its own process so that its sockets do not share the server's descriptor limit: opens
 * many connections with a small receive buffer, sends C0 and a few bytes of C1 on each, then one more byte every two
 * seconds until the server closes them. Prints "opened N" once every connection is open, then
 * "closed C longest L" (connections the server closed, longest lifetime in ms) when all are closed or it gives up.
 */
public final class Trickler {

    private static final long TRICKLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int BATCH = 500;

    private final Selector selector;
    private final ByteBuffer sink = ByteBuffer.allocate(256);
    private int closed;
    private long longestNanos;

    private Trickler() throws IOException {
        selector = Selector.open();
    }

    /** Starts a trickler process against {@code server} with {@code count} connections. */
    public static Process start(InetSocketAddress server, int count, int giveUpSeconds) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes;
        try {
            classes = Path.of(Trickler.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
            classes, Trickler.class.getName(), server.getHostString(), String.valueOf(server.getPort()),
            String.valueOf(count), String.valueOf(giveUpSeconds)))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        new Trickler().run(server, count, giveUp);
    }

    private void run(InetSocketAddress server, int count, long giveUp) throws IOException {
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1024);
            channel.connect(server);
            channel.configureBlocking(false);
            channel.write(ByteBuffer.wrap(new byte[] {3, 0, 0, 0, 0}));
            channel.register(selector, SelectionKey.OP_READ, System.nanoTime());
            if (i % BATCH == BATCH - 1) {
                poll(0);
            }
        }
        System.out.println("opened " + count);
        System.out.flush();
        long nextTrickle = System.nanoTime() + TRICKLE_NANOS;
        while (closed < count && System.nanoTime() < giveUp) {
            poll(100);
            if (System.nanoTime() >= nextTrickle) {
                nextTrickle += TRICKLE_NANOS;
                trickle();
            }
        }
        System.out.println("closed " + closed + " longest " + TimeUnit.NANOSECONDS.toMillis(longestNanos));
        System.out.flush();
    }

    private void poll(long timeoutMillis) throws IOException {
        if (timeoutMillis == 0) {
            selector.selectNow(this::read);
        } else {
            selector.select(this::read, timeoutMillis);
        }
    }

    private void read(SelectionKey key) {
        try {
            sink.clear();
            if (((SocketChannel) key.channel()).read(sink) < 0) {
                closedByServer(key);
            }
        } catch (IOException reset) {
            closedByServer(key);
        }
    }

    private void trickle() {
        for (SelectionKey key : selector.keys()) {
            if (key.isValid()) {
                try {
                    ((SocketChannel) key.channel()).write(ByteBuffer.wrap(new byte[] {0}));
                } catch (IOException reset) {
                    closedByServer(key);
                }
            }
        }
    }

    private void closedByServer(SelectionKey key) {
        closed++;
        longestNanos = Math.max(longestNanos, System.nanoTime() - (long) key.attachment());
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
        }
    }
}
