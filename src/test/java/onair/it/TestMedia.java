package onair.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Small FLV test files made by ffmpeg from its lavfi test sources (6 s, 25 fps, a keyframe every 2 s, 440 Hz AAC),
 * generated once into {@code target/test-media/} and reused while their generating arguments are unchanged; x264 runs
 * single-threaded because its threaded VBV rate control gives different bytes from run to run.
 */
public final class TestMedia {

    /** Where the generated files are kept. */
    public static final Path DIR = Path.of("target", "test-media");

    private static final Duration GENERATE_TIMEOUT = Duration.ofMinutes(3);
    private static final String SECONDS = "6";

    private TestMedia() {
    }

    /** H.264 High + AAC, 640x360, no B-frames (pts equals dts). */
    public static Path h264Aac360p() {
        return generate("h264-aac-360p", video("640x360", "libx264", "-threads:v", "1", "-preset", "veryfast", "-tune", "zerolatency",
                "-bf", "0", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0"));
    }

    /** H.264 High + AAC, 640x360, with up to 3 B-frames (composition time offsets, pts differs from dts). */
    public static Path h264Aac360pBFrames() {
        return generate("h264-aac-360p-bframes", video("640x360", "libx264", "-threads:v", "1", "-preset", "veryfast", "-bf", "3",
                "-g", "50", "-keyint_min", "50", "-sc_threshold", "0"));
    }

    /** H.264 + AAC, 1280x720 at about 4 Mbit/s, no B-frames. */
    public static Path h264Aac720p() {
        return generate("h264-aac-720p", video("1280x720", "libx264", "-threads:v", "1", "-preset", "veryfast", "-tune", "zerolatency",
                "-bf", "0", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                "-b:v", "4M", "-maxrate", "4M", "-bufsize", "8M"));
    }

    /** HEVC + AAC, 640x360, which ffmpeg 8 writes as Enhanced RTMP ({@code hvc1} FourCC) FLV tags. */
    public static Path hevcAac() {
        return generate("hevc-aac-360p", video("640x360", "libx265", "-preset", "veryfast", "-g", "50",
                "-keyint_min", "50", "-x265-params", "log-level=error:scenecut=0:bframes=0"));
    }

    /**
     * Two H.264 renditions (640x360 and 320x180, keyframes aligned every 2 s) and one AAC track in one FLV, which
     * ffmpeg 8 writes as Enhanced RTMP v2: the first video track as plain tags, the second in multitrack packets.
     */
    public static Path h264TwoRenditionsAac() {
        return generate("h264-two-renditions-aac", List.of(
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", SECONDS, "-filter_complex", "[0:v]split[high][in];[in]scale=320:180[low]",
                "-map", "[high]", "-map", "[low]", "-map", "1:a",
                "-c:v", "libx264", "-threads:v", "1", "-preset", "veryfast", "-tune", "zerolatency", "-bf", "0",
                "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-fflags", "+bitexact", "-flags", "+bitexact", "-f", "flv"));
    }

    private static List<String> video(String size, String... encoder) {
        List<String> args = new ArrayList<>(List.of(
                "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", SECONDS, "-map", "0:v", "-map", "1:a",
                "-c:v"));
        args.addAll(List.of(encoder));
        args.addAll(List.of("-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-ac", "2",
                "-fflags", "+bitexact", "-flags", "+bitexact", "-f", "flv"));
        return args;
    }

    private static synchronized Path generate(String name, List<String> args) {
        Path target = DIR.resolve(name + "-" + digest(args) + ".flv").toAbsolutePath();
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(DIR);
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            List<String> all = new ArrayList<>(List.of("-y"));
            all.addAll(args);
            all.add(partial.toString());
            Ffmpeg.run("generate-" + name, GENERATE_TIMEOUT, all.toArray(String[]::new));
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + target, e);
        }
    }

    private static String digest(List<String> args) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\u0000", args).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
