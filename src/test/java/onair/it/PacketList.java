package onair.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The packets of a file or stream in demuxing order, read with {@code ffprobe -show_packets -show_data_hash MD5}. */
public record PacketList(String source, List<Packet> packets) {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

    public PacketList {
        packets = List.copyOf(packets);
    }

    /** Probes a media file. */
    public static PacketList probe(Path file) {
        return probe(file.toString());
    }

    /** Probes a file or URL. */
    public static PacketList probe(String input) {
        String name = "ffprobe-" + Path.of(input.replaceAll("^[a-z]+://", "")).getFileName();
        String out = Ffmpeg.probe(name, PROBE_TIMEOUT, "-show_packets", "-show_data_hash", "MD5",
                "-show_entries", "packet=stream_index,codec_type,pts,dts,duration,size,flags,data_hash",
                "-of", "compact=p=0", input);
        return parse(input, out);
    }

    /**
     * Probes a media file with each packet's pts and dts in milliseconds (rounded from ffprobe's seconds), whatever
     * the stream time base.
     */
    public static PacketList probeMillis(Path file) {
        String out = Ffmpeg.probe("ffprobe-ms-" + file.getFileName(), PROBE_TIMEOUT, "-show_packets",
                "-show_data_hash", "MD5", "-show_entries",
                "packet=stream_index,codec_type,pts_time,dts_time,size,flags,data_hash", "-of", "compact=p=0",
                file.toString());
        List<Packet> packets = new ArrayList<>();
        for (String line : out.lines().filter(line -> !line.isBlank()).toList()) {
            Map<String, String> f = fields(line);
            packets.add(new Packet(Integer.parseInt(f.getOrDefault("stream_index", "-1")),
                    f.getOrDefault("codec_type", ""), millis(f.get("pts_time")), millis(f.get("dts_time")),
                    Packet.NO_TIMESTAMP, Integer.parseInt(f.getOrDefault("size", "0")), f.getOrDefault("flags", ""),
                    f.getOrDefault("data_hash", "")));
        }
        return new PacketList(file.toString(), packets);
    }

    /** The fields of one {@code ffprobe -of compact} line ({@code key=value|key=value...}). */
    public static Map<String, String> fields(String line) {
        Map<String, String> f = new HashMap<>();
        for (String field : line.split("\\|")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                f.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return f;
    }

    /** Parses {@code ffprobe -of compact=p=0} packet lines ({@code key=value|key=value...}). */
    public static PacketList parse(String source, String compact) {
        List<Packet> packets = new ArrayList<>();
        for (String line : compact.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> f = fields(line);
            packets.add(new Packet(Integer.parseInt(f.getOrDefault("stream_index", "-1")),
                    f.getOrDefault("codec_type", ""), timestamp(f.get("pts")), timestamp(f.get("dts")),
                    timestamp(f.get("duration")), Integer.parseInt(f.getOrDefault("size", "0")),
                    f.getOrDefault("flags", ""), f.getOrDefault("data_hash", "")));
        }
        return new PacketList(source, packets);
    }

    private static long millis(String seconds) {
        return seconds == null || seconds.isEmpty() || seconds.equals("N/A") ? Packet.NO_TIMESTAMP
                : Math.round(Double.parseDouble(seconds) * 1000);
    }

    private static long timestamp(String value) {
        return value == null || value.isEmpty() || value.equals("N/A") ? Packet.NO_TIMESTAMP : Long.parseLong(value);
    }

    public List<Packet> video() {
        return filter(Packet::video);
    }

    public List<Packet> audio() {
        return filter(Packet::audio);
    }

    public List<Packet> filter(Predicate<Packet> p) {
        return packets.stream().filter(p).toList();
    }

    public int size() {
        return packets.size();
    }

    public boolean isEmpty() {
        return packets.isEmpty();
    }

    @Override
    public String toString() {
        return source + " (" + video().size() + " video, " + audio().size() + " audio packets)";
    }
}
