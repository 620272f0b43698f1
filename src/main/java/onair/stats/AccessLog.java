package onair.stats;

import onair.config.AccessLogConfig;
import onair.config.ApplicationConfig;
import onair.config.LogFormat;
import onair.config.RtmpServerConfig;
import onair.config.ServerConfig;
import onair.stream.Client;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * nginx-rtmp's access log ({@code ngx_rtmp_log_module}): one line per finished connection, in the format of each
 * {@code access_log} target of the connection's application (or server block, for a connection that never reached
 * one). Lines are formatted on the closing connection's thread and written by one writer thread through a bounded
 * queue and buffered files, flushed whenever the queue runs empty and on {@link #close()}.
 */
public final class AccessLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    private static final int QUEUE_LINES = 10_000;
    private static final DateTimeFormatter TIME_LOCAL =
        DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private record Line(Path file, String text) {}

    private static final Line STOP = new Line(Path.of(""), "");

    private final Supplier<ServerConfig> config;
    private final BlockingQueue<Line> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final AtomicLong lost = new AtomicLong();
    private final Map<Path, BufferedWriter> writers = new HashMap<>();
    private final Set<Path> failed = new HashSet<>();
    private final Thread writer;

    public AccessLog(Supplier<ServerConfig> config) {
        this.config = config;
        this.writer = Thread.ofPlatform().daemon().name("onair-access-log").start(this::run);
    }

    /** Queues the lines for a closed {@code client}; never blocks: past the queue bound lines are counted as lost. */
    public void write(Client client) {
        List<AccessLogConfig.Target> targets = targets(client);
        if (targets.isEmpty()) {
            return;
        }
        ZonedDateTime now = ZonedDateTime.now();
        for (AccessLogConfig.Target target : targets) {
            if (!queue.offer(new Line(target.file(), format(target.format(), client, now)))
                && lost.getAndIncrement() == 0) {
                log.warn("access log queue full ({} lines): lines are lost; further losses are counted",
                    QUEUE_LINES);
            }
        }
    }

    /** Lines dropped because the writer could not keep up. */
    public long lost() {
        return lost.get();
    }

    private List<AccessLogConfig.Target> targets(Client client) {
        List<RtmpServerConfig> servers = config.get().rtmpServers();
        if (client.server() < 0 || client.server() >= servers.size()) {
            return List.of();
        }
        RtmpServerConfig server = servers.get(client.server());
        return server.application(client.app()).map(ApplicationConfig::accessLog).orElse(server.accessLog())
            .targets();
    }

    /** One line (without line feed) for {@code client} in {@code format}, at the time {@code now}. */
    public static String format(LogFormat format, Client client, ZonedDateTime now) {
        StringBuilder line = new StringBuilder(160);
        for (LogFormat.Part part : format.parts()) {
            if (part.variable() == null) {
                line.append(part.literal());
                continue;
            }
            long seconds = client.ageMillis() / 1000;
            switch (part.variable()) {
                case "connection" -> line.append(client.id());
                case "remote_addr" -> line.append(client.address());
                case "app" -> line.append(client.app());
                case "name" -> line.append(client.name());
                case "args" -> line.append(client.args());
                case "flashver" -> line.append(client.flashver());
                case "swfurl" -> line.append(client.swfurl());
                case "tcurl" -> line.append(client.tcurl());
                case "pageurl" -> line.append(client.pageurl());
                case "command" -> line.append(command(client));
                case "bytes_sent" -> line.append(client.bytesOut());
                case "bytes_received" -> line.append(client.bytesIn());
                case "time_local" -> line.append(TIME_LOCAL.format(now));
                case "msec" -> {
                    long millis = now.toInstant().toEpochMilli();
                    line.append(millis / 1000).append('.').append(String.format(Locale.ROOT, "%03d", millis % 1000));
                }
                case "session_time" -> line.append(seconds);
                case "session_readable_time" -> line.append(readable(seconds));
                default -> throw new IllegalStateException("unknown variable " + part.variable());
            }
        }
        return line.toString();
    }

    private static String command(Client client) {
        if (client.played() && client.published()) {
            return "PLAY+PUBLISH";
        }
        return client.published() ? "PUBLISH" : client.played() ? "PLAY" : "NONE";
    }

    /** {@code 1d 2h 3m 4s}, leaving out leading zero units, as nginx-rtmp's {@code $session_readable_time}. */
    static String readable(long seconds) {
        long days = seconds / 86400;
        long hours = seconds / 3600 % 24;
        long minutes = seconds / 60 % 60;
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append("d ");
        }
        if (days > 0 || hours > 0) {
            text.append(hours).append("h ");
        }
        if (days > 0 || hours > 0 || minutes > 0) {
            text.append(minutes).append("m ");
        }
        return text.append(seconds % 60).append('s').toString();
    }

    private void run() {
        try {
            while (true) {
                Line line = queue.take();
                do {
                    if (line == STOP) {
                        flushAll();
                        return;
                    }
                    append(line);
                    line = queue.poll();
                } while (line != null);
                flushAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            writers.values().forEach(AccessLog::closeQuietly);
            writers.clear();
        }
    }

    private void append(Line line) {
        try {
            BufferedWriter out = writers.get(line.file());
            if (out == null) {
                if (failed.contains(line.file())) {
                    return;
                }
                out = Files.newBufferedWriter(line.file(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                writers.put(line.file(), out);
            }
            out.write(line.text());
            out.write('\n');
        } catch (IOException e) {
            if (failed.add(line.file())) {
                log.error("access log {}: {}; its lines are dropped", line.file(), e.toString());
            }
            BufferedWriter broken = writers.remove(line.file());
            if (broken != null) {
                closeQuietly(broken);
            }
        }
    }

    private void flushAll() {
        writers.entrySet().removeIf(entry -> {
            try {
                entry.getValue().flush();
                return false;
            } catch (IOException e) {
                if (failed.add(entry.getKey())) {
                    log.error("access log {}: {}; its lines are dropped", entry.getKey(), e.toString());
                }
                closeQuietly(entry.getValue());
                return true;
            }
        });
    }

    private static void closeQuietly(BufferedWriter out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // the file is given up either way
        }
    }

    /** Writes every queued line, flushes and closes the files; waits at most a few seconds for the writer. */
    @Override
    public void close() {
        try {
            if (!queue.offer(STOP, 2, TimeUnit.SECONDS)) {
                writer.interrupt();
            }
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
