package onair.record;

import onair.it.Ffmpeg;
import tools.jackson.jr.ob.JSON;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What ffprobe and ffmpeg read of an MP4 recording, and its top-level boxes as written. */
record Mp4Probe(String formatName, double duration, Map<String, Long> packets, Map<String, Long> nbFrames) {

    private static final Duration RUN = Duration.ofSeconds(60);

    static Mp4Probe of(Path file) throws IOException {
        return of("probe-" + file.getFileName(), file.toString());
    }

    static Mp4Probe of(URI url) throws IOException {
        return of("probe-http", url.toString());
    }

    @SuppressWarnings("unchecked")
    private static Mp4Probe of(String name, String input) throws IOException {
        String json = Ffmpeg.probe(name, RUN, "-count_packets", "-show_format",
            "-show_entries", "stream=codec_type,nb_frames,nb_read_packets", "-of", "json", input);
        Map<String, Object> root = JSON.std.mapFrom(json);
        Map<String, Object> format = (Map<String, Object>) root.get("format");
        Map<String, Long> packets = new HashMap<>();
        Map<String, Long> frames = new HashMap<>();
        for (Object entry : (List<Object>) root.get("streams")) {
            Map<String, Object> stream = (Map<String, Object>) entry;
            String key = stream.get("codec_type").equals("video") ? "v:0" : "a:0";
            packets.put(key, Long.parseLong(String.valueOf(stream.get("nb_read_packets"))));
            Object nb = stream.get("nb_frames");
            frames.put(key, nb == null || nb.equals("N/A") ? -1 : Long.parseLong(String.valueOf(nb)));
        }
        return new Mp4Probe(String.valueOf(format.get("format_name")),
            Double.parseDouble(String.valueOf(format.get("duration"))), packets, frames);
    }

    /** The packets ffprobe reads of the stream ("v:0" or "a:0"), or -1 without one. */
    long frames(String stream) {
        return packets.getOrDefault(stream, -1L);
    }

    /** The frames ffmpeg decodes of the video when it seeks the input to {@code seconds} ({@code -ss}). */
    static int decodedFramesFrom(Path file, int seconds) throws IOException {
        Path crc = file.resolveSibling(file.getFileName() + ".framecrc");
        Ffmpeg.run("seek-" + file.getFileName(), RUN, "-y", "-ss", String.valueOf(seconds), "-i", file.toString(),
            "-map", "0:v:0", "-f", "framecrc", crc.toString());
        return (int) Files.readAllLines(crc).stream().filter(line -> !line.startsWith("#")).count();
    }

    /** The types of the file's top-level boxes in order. */
    static List<String> topLevelBoxes(Path file) throws IOException {
        List<String> types = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file)) {
            long at = 0;
            long size = channel.size();
            while (at + 8 <= size) {
                ByteBuffer head = ByteBuffer.allocate(16);
                channel.read(head, at);
                long box = Integer.toUnsignedLong(head.getInt(0));
                if (box == 1) {
                    box = head.getLong(8);
                }
                types.add(new String(head.array(), 4, 4, StandardCharsets.ISO_8859_1));
                if (box < 8) {
                    break;
                }
                at += box;
            }
        }
        return types;
    }
}
