package onair.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import onair.rtmp.chunk.ChunkDecoder;
import onair.rtmp.chunk.ChunkEncoder;
import onair.rtmp.handshake.ClientHandshakeHandler;
import onair.rtmp.message.RtmpMessageCodec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An RTMP and HTTP-FLV load generator in the manner of srs-bench: P publishers replay an FLV file in real time over
 * RTMP while N light players (RTMP or HTTP-FLV, by the URL's scheme) join at a fixed rate, then it measures a window and reports throughput, first-frame time, server-added
 * latency, lag and, given the server's pid, its CPU per delivered Gbit and RSS. {@link #main} is the command line
 * ({@code bench/run}); tests drive {@link #start}, {@link #beginWindow} and {@link #finish}.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final long LAGGING_MILLIS = 1000;
    /** A fixed receive buffer turns off the kernel's auto-tuning, which would otherwise hide a slow reader for MBs. */
    private static final int THROTTLED_RECEIVE_BUFFER = 32 << 10;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final LoadOptions options;
    /** Where RTMP players connect (null for HTTP-FLV players). */
    private final Target target;
    /** Where HTTP-FLV players connect (null for RTMP players). */
    private final FlvUrl flvUrl;
    private final Target publishTarget;
    private final Metrics metrics = new Metrics(System.nanoTime());
    private final EventLoopGroup playerLoops;
    private final EventLoopGroup publisherLoop;
    private final Bootstrap bootstrap;
    private final ScheduledExecutorService ramp = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().name("bench-ramp").daemon().unstarted(r));
    private final List<SendClock> clocks = new ArrayList<>();
    private final List<Publisher> publishers = new ArrayList<>();
    private final List<Channel> publisherChannels = new ArrayList<>();
    private final Viewer[] players;
    private final Channel[] playerChannels;
    private volatile int started;
    private long rampStartNanos;
    private long windowStartNanos;
    private long windowStartBytes;
    private ProcessStats serverAtStart;
    private ServerJvm serverJvm;
    private ServerJvm.Reading serverJvmAtStart;
    private ProcessStats selfAtStart;
    private long[] playerThreadIds;
    private long windowStartAllocated;
    private long windowStartMessages;

    private LoadGenerator(LoadOptions options) {
        this.options = options;
        this.target = options.http() ? null : Target.parse(options.url());
        this.flvUrl = options.http() ? FlvUrl.parse(options.url()) : null;
        this.publishTarget = options.publishUrl() != null ? Target.parse(options.publishUrl()) : target;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.playerLoops = new MultiThreadIoEventLoopGroup(options.threads(), io);
        this.publisherLoop = new MultiThreadIoEventLoopGroup(1, io);
        this.bootstrap = new Bootstrap().channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        this.players = new Viewer[options.players()];
        this.playerChannels = new Channel[options.players()];
    }

    /** Starts the publishers, waits until each publishes (or fails), then starts the players' ramp. */
    public static LoadGenerator start(LoadOptions options) throws IOException, InterruptedException {
        LoadGenerator generator = new LoadGenerator(options);
        try {
            generator.playerThreadIds = generator.playerThreadIds();
            generator.startPublishers();
            generator.startRamp();
            return generator;
        } catch (IOException | InterruptedException | RuntimeException e) {
            generator.close();
            throw e;
        }
    }

    private void startPublishers() throws IOException, InterruptedException {
        if (options.publishers() == 0) {
            return;
        }
        FlvFile file = FlvFile.read(options.flv());
        for (int i = 0; i < options.publishers(); i++) {
            SendClock clock = new SendClock(metrics.epochNanos());
            Publisher publisher = new Publisher(publishTarget.withStream(streamName(publishTarget.stream(), i)), file,
                clock);
            clocks.add(clock);
            publishers.add(publisher);
            ChannelFuture connect = bootstrap.clone(publisherLoop).handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new ClientHandshakeHandler(), new ChunkDecoder(), new ChunkEncoder(),
                        new RtmpMessageCodec(), publisher);
                }
            }).connect(publishTarget.host(), publishTarget.port()).sync();
            publisherChannels.add(connect.channel());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Publisher publisher : publishers) {
            while (!publisher.publishing && publisher.failure == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (!publisher.publishing) {
                throw new IOException("publisher did not start: "
                    + (publisher.failure == null ? "no NetStream.Publish.Start within 10 s" : publisher.failure));
            }
        }
    }

    private long[] playerThreadIds() throws InterruptedException {
        List<Long> ids = new ArrayList<>();
        for (EventExecutor loop : playerLoops) {
            ids.add(loop.submit(() -> Thread.currentThread().threadId()).sync().getNow());
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private long allocatedByPlayerThreads() {
        return Arrays.stream(THREADS.getThreadAllocatedBytes(playerThreadIds)).sum();
    }

    private String streamName(String base, int index) {
        return options.publishers() <= 1 ? base : base + "_" + index;
    }

    private void startRamp() {
        rampStartNanos = System.nanoTime();
        ramp.scheduleAtFixedRate(() -> {
            long due = Math.min(players.length,
                (long) Math.floor((System.nanoTime() - rampStartNanos) / 1e9 * options.rate()) + 1);
            for (int i = started; i < due; i++) {
                connectPlayer(i);
                started = i + 1;
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
    }

    private void connectPlayer(int index) {
        int stream = options.publishers() == 0 ? 0 : index % options.publishers();
        SendClock clock = clocks.isEmpty() ? null : clocks.get(stream);
        long throttle = options.throttled(index) ? options.throttleKbps() * 1000L / 8 : 0;
        Viewer player = options.http()
            ? new HttpFlvPlayer(flvUrl.withStream(streamName(flvUrl.stream(), stream)), clock, metrics,
                System.nanoTime(), throttle)
            : new Player(target.withStream(streamName(target.stream(), stream)), clock, metrics, System.nanoTime(),
                throttle);
        players[index] = player;
        Bootstrap connecting = bootstrap.clone(playerLoops);
        if (player.throttled()) {
            connecting.option(ChannelOption.SO_RCVBUF, THROTTLED_RECEIVE_BUFFER);
        }
        if (options.sourceAddresses() > 1) {
            connecting.localAddress(new InetSocketAddress("127.0.0." + (1 + index % options.sourceAddresses()), 0));
        }
        ChannelFuture connect = connecting.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (options.http()) {
                    ch.pipeline().addLast(player);
                } else {
                    ch.pipeline().addLast(new ClientHandshakeHandler(), player);
                }
            }
        }).connect(options.http() ? flvUrl.host() : target.host(), options.http() ? flvUrl.port() : target.port());
        playerChannels[index] = connect.channel();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                player.fail("connect: " + f.cause().getMessage());
            }
        });
    }

    /** The send clock of publisher {@code index}. */
    SendClock clock(int index) {
        return clocks.get(index);
    }

    /** Blocks until every player has started connecting. */
    public void awaitRamp() throws InterruptedException {
        while (started < players.length) {
            Thread.sleep(10);
        }
    }

    /** Starts the measurement window: bytes, and the CPU of the server and of this process, are counted from here. */
    public void beginWindow() {
        windowStartNanos = System.nanoTime();
        windowStartBytes = bytesReceived();
        serverAtStart = options.serverPid() > 0 ? ProcessStats.of(Long.toString(options.serverPid())) : null;
        serverJvm = options.serverPid() > 0 ? ServerJvm.attach(options.serverPid()) : null;
        serverJvmAtStart = serverJvm == null ? null : serverJvm.read();
        selfAtStart = ProcessStats.of("self");
        windowStartAllocated = allocatedByPlayerThreads();
        windowStartMessages = mediaMessagesReceived();
    }

    /** A one-line view of the run so far. */
    public String progress() {
        long now = System.nanoTime();
        int playing = 0;
        int failed = 0;
        int stalled = 0;
        long bytes = 0;
        int count = started;
        for (int i = 0; i < count; i++) {
            Viewer p = players[i];
            bytes += p.bytesIn;
            switch (p.state) {
                case PLAYING -> {
                    playing++;
                    if (now - p.lastMediaNanos > options.stallMillis() * 1_000_000) {
                        stalled++;
                    }
                }
                case FAILED, CLOSED -> failed++;
                default -> { }
            }
        }
        return String.format(Locale.ROOT, "t=%.0fs started %d/%d playing %d failed %d stalled %d received %.1f MB",
            (now - rampStartNanos) / 1e9, count, players.length, playing, failed, stalled, bytes / 1e6);
    }

    /** Audio and video messages received by all players so far (read without synchronisation, for polling). */
    public long mediaMessagesReceived() {
        long messages = 0;
        int count = started;
        for (int i = 0; i < count; i++) {
            messages += players[i].videoMessages + players[i].audioMessages;
        }
        return messages;
    }

    private long bytesReceived() {
        long bytes = 0;
        int count = started;
        for (int i = 0; i < count; i++) {
            bytes += players[i].bytesIn;
        }
        return bytes;
    }

    /** Ends the window, stops every client and returns the report. */
    public LoadReport finish() throws InterruptedException {
        long end = System.nanoTime();
        long windowBytes = bytesReceived() - windowStartBytes;
        ProcessStats server = serverAtStart == null ? null : ProcessStats.of(Long.toString(options.serverPid()));
        ProcessStats self = ProcessStats.of("self");
        ServerJvm.Reading jvm = serverJvm == null ? null : serverJvm.read();
        long windowMessages = mediaMessagesReceived() - windowStartMessages;
        double allocatedPerMessage = (double) (allocatedByPlayerThreads() - windowStartAllocated)
            / Math.max(1, windowMessages);
        double window = (end - windowStartNanos) / 1e9;
        int ok = 0;
        int stalled = 0;
        int throttled = 0;
        Map<String, Integer> failures = new LinkedHashMap<>();
        for (int i = 0; i < started; i++) {
            Viewer p = players[i];
            if (p.throttled()) {
                throttled++;
            } else if (p.state == Viewer.State.PLAYING && p.firstFrameNanos != 0) {
                if (end - p.lastMediaNanos > options.stallMillis() * 1_000_000) {
                    stalled++;
                } else {
                    ok++;
                }
            } else {
                String reason = p.failure != null ? p.failure
                    : p.state == Viewer.State.PLAYING ? "no keyframe received" : "still in state " + p.state;
                failures.merge(reason, 1, Integer::sum);
            }
        }
        close();
        int lagging = 0;
        long[] lags = new long[started - throttled];
        int measured = 0;
        long bytes = 0;
        long video = 0;
        long audio = 0;
        long payload = 0;
        for (int i = 0; i < started; i++) {
            Viewer p = players[i];
            bytes += p.bytesIn;
            video += p.videoMessages;
            audio += p.audioMessages;
            payload += p.mediaPayloadBytes;
            if (!p.throttled()) {
                lags[measured] = Math.max(p.maxLagMillis, p.lagMillis(end));
                if (lags[measured++] > LAGGING_MILLIS) {
                    lagging++;
                }
            }
        }
        Arrays.sort(lags);
        double serverCpu = server == null ? Double.NaN : server.cpuSeconds() - serverAtStart.cpuSeconds();
        double gbit = windowBytes * 8 / 1e9;
        return new LoadReport(options.label(), options.url(), players.length, options.publishers(), window,
            ok, players.length - throttled - ok - stalled, stalled, lagging, throttled, failures, windowBytes, windowBytes * 8 / window / 1e6,
            bytes, video, audio, payload,
            publishers.stream().mapToLong(p -> p.messagesSent).sum(),
            publishers.stream().mapToLong(p -> p.payloadBytesSent).sum(),
            LoadReport.Percentiles.of(metrics.firstFrame()), LoadReport.Percentiles.of(metrics.latency()),
            lags.length == 0 ? 0 : lags[Math.max(0, (int) Math.ceil(0.95 * lags.length) - 1)],
            lags.length == 0 ? 0 : lags[lags.length - 1],
            serverCpu, serverCpu / gbit, server == null ? 0 : server.rssKb(),
            self.cpuSeconds() - selfAtStart.cpuSeconds(), allocatedPerMessage,
            jvm == null ? null : new LoadReport.Heap(jvm.allocatedBytes() - serverJvmAtStart.allocatedBytes(),
                windowMessages, jvm.pauses() - serverJvmAtStart.pauses(), jvm.pauseMillis() - serverJvmAtStart.pauseMillis()));
    }

    @Override
    public void close() throws InterruptedException {
        if (serverJvm != null) {
            try {
                serverJvm.close();
            } catch (IOException ignored) {
                // the server may already be gone; nothing is left to release on this side
            }
            serverJvm = null;
        }
        ramp.shutdownNow();
        ramp.awaitTermination(5, TimeUnit.SECONDS);
        publisherChannels.forEach(Channel::close);
        for (Channel channel : playerChannels) {
            if (channel != null) {
                channel.close();
            }
        }
        publisherLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).await();
        playerLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).await();
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        LoadGenerator generator = start(options);
        long nextProgress = System.nanoTime();
        while (generator.started < options.players()) {
            nextProgress = progressEverySecond(generator, nextProgress);
            Thread.sleep(50);
        }
        long settleEnd = System.nanoTime() + (long) (options.settleSeconds() * 1e9);
        while (System.nanoTime() < settleEnd) {
            nextProgress = progressEverySecond(generator, nextProgress);
            Thread.sleep(50);
        }
        generator.beginWindow();
        long windowEnd = System.nanoTime() + (long) (options.durationSeconds() * 1e9);
        while (System.nanoTime() < windowEnd) {
            nextProgress = progressEverySecond(generator, nextProgress);
            Thread.sleep(50);
        }
        LoadReport report = generator.finish();
        if (options.out() != null) {
            Files.writeString(options.out(), report.toJson());
        }
        System.out.println(report.summary());
    }

    private static long progressEverySecond(LoadGenerator generator, long next) {
        if (System.nanoTime() < next) {
            return next;
        }
        System.err.println(generator.progress());
        return next + 1_000_000_000L;
    }
}
