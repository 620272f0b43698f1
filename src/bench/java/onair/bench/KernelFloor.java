package onair.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernel's floor for a fan-out server: one thread writes the message sizes of an FLV file in real time to N
 * loopback connections with nothing else to do (no parsing, no queues, one shared buffer), either one write per
 * message, as nginx-rtmp does, or one gathering write per connection every {@code tick} milliseconds. Its CPU per
 * delivered Gbit (user + system time of the writing thread, which on loopback also pays for the receiver's TCP
 * processing) is what no server can go below with the same write pattern. {@code bench/run floor --flv F ...}
 */
public final class KernelFloor {

    private static final int RTMP_HEADER = 12;
    private static final int CHUNK_SIZE = 4000;

    private KernelFloor() {
    }

    public static void main(String[] args) throws Exception {
        Path flv = null;
        int connections = 1000;
        double seconds = 20;
        double warmup = 3;
        int tickMillis = 10;
        boolean perMessage = true;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--flv" -> flv = Path.of(args[i + 1]);
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--warmup" -> warmup = Double.parseDouble(args[i + 1]);
                case "--tick-ms" -> tickMillis = Integer.parseInt(args[i + 1]);
                case "--writes" -> perMessage = switch (args[i + 1]) {
                    case "message" -> true;
                    case "gather" -> false;
                    default -> throw new IllegalArgumentException("--writes message|gather");
                };
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (flv == null) {
            System.err.println("usage: bench/run floor --flv FILE [--connections N] [--seconds S] [--warmup S] "
                + "[--tick-ms MS] [--writes message|gather]");
            System.exit(2);
        }
        System.out.println(run(FlvFile.read(flv), connections, seconds, warmup, tickMillis, perMessage));
    }

    static String run(FlvFile file, int connections, double seconds, double warmup, int tickMillis,
                      boolean perMessage) throws IOException, InterruptedException {
        List<FlvFile.Tag> tags = file.tags().stream().filter(t -> t.type() == 8 || t.type() == 9).toList();
        int largest = tags.stream().mapToInt(t -> wireSize(t.body().readableBytes())).max().orElse(1);
        ByteBuffer shared = ByteBuffer.allocateDirect(largest);
        EventLoopGroup receivers = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        List<SocketChannel> sockets = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0), connections);
            Bootstrap client = new Bootstrap().group(receivers).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new Discard());
            List<Channel> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                clients.add(client.connect(server.getLocalAddress()).sync().channel());
                SocketChannel socket = server.accept();
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                socket.configureBlocking(false);
                sockets.add(socket);
            }
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long start = System.nanoTime();
            long windowStart = start + (long) (warmup * 1e9);
            long end = windowStart + (long) (seconds * 1e9);
            long cpuAtWindow = -1;
            long bytes = 0;
            long writes = 0;
            long shortWrites = 0;
            int next = 0;
            long loopOffset = 0;
            List<Integer> due = new ArrayList<>();
            ByteBuffer[] gather = new ByteBuffer[0];
            long tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
            for (long tick = start + tickNanos; tick < end; tick += tickNanos) {
                LockSupport.parkNanos(tick - System.nanoTime());
                if (cpuAtWindow < 0 && System.nanoTime() >= windowStart) {
                    cpuAtWindow = threads.getCurrentThreadCpuTime();
                    bytes = 0;
                    writes = 0;
                }
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                due.clear();
                while (tags.get(next).timestamp() + loopOffset <= elapsedMillis) {
                    due.add(wireSize(tags.get(next).body().readableBytes()));
                    if (++next == tags.size()) {
                        next = 0;
                        loopOffset += file.duration();
                    }
                }
                if (due.isEmpty()) {
                    continue;
                }
                if (gather.length != due.size()) {
                    gather = new ByteBuffer[due.size()];
                }
                for (SocketChannel socket : sockets) {
                    if (perMessage) {
                        for (int size : due) {
                            long written = socket.write(shared.duplicate().limit(size));
                            bytes += written;
                            writes++;
                            shortWrites += written < size ? 1 : 0;
                        }
                    } else {
                        long wanted = 0;
                        for (int i = 0; i < gather.length; i++) {
                            gather[i] = shared.duplicate().limit(due.get(i));
                            wanted += due.get(i);
                        }
                        long written = socket.write(gather);
                        bytes += written;
                        writes++;
                        shortWrites += written < wanted ? 1 : 0;
                    }
                }
            }
            double cpu = (threads.getCurrentThreadCpuTime() - cpuAtWindow) / 1e9;
            double window = (System.nanoTime() - windowStart) / 1e9;
            for (Channel channel : clients) {
                channel.close();
            }
            return String.format(Locale.ROOT, "{\"connections\": %d, \"writes\": \"%s\", \"tickMs\": %d, "
                    + "\"mbps\": %.1f, \"writesPerSecond\": %.0f, \"shortWrites\": %d, \"cpuSeconds\": %.3f, "
                    + "\"coreSecondsPerGbit\": %.3f}",
                connections, perMessage ? "message" : "gather", tickMillis, bytes * 8 / window / 1e6, writes / window,
                shortWrites, cpu, cpu / (bytes * 8 / 1e9));
        } finally {
            for (SocketChannel socket : sockets) {
                socket.close();
            }
            receivers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The bytes an RTMP message of {@code payload} bytes takes on the wire with a type-0 header and 4000-byte chunks. */
    static int wireSize(int payload) {
        return RTMP_HEADER + payload + Math.max(0, (payload - 1) / CHUNK_SIZE);
    }
}
