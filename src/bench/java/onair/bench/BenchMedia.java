package onair.bench;

import onair.it.Ffmpeg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Makes the benchmark's deterministic media with the bundled ffmpeg: lavfi test pattern and tone, H.264 (x264,
 * single-threaded, constant bitrate, no B-frames, a keyframe every 2 s at 25 fps) and AAC, as FLV.
 * Arguments: output file, seconds (20), size (640x360), video bitrate (900k), audio bitrate (128k).
 */
public final class BenchMedia {

    private BenchMedia() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: bench/run media OUT.flv [SECONDS] [SIZE] [VIDEO_BITRATE] [AUDIO_BITRATE]");
            System.exit(2);
        }
        Path out = Path.of(args[0]).toAbsolutePath();
        String seconds = args.length > 1 ? args[1] : "20";
        String size = args.length > 2 ? args[2] : "640x360";
        String bitrate = args.length > 3 ? args[3] : "900k";
        String audioBitrate = args.length > 4 ? args[4] : "128k";
        Files.createDirectories(out.getParent());
        Ffmpeg.run("bench-media", Duration.ofMinutes(5), "-y",
            "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", seconds, "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-threads:v", "1", "-preset", "veryfast", "-tune", "zerolatency", "-bf", "0",
            "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
            "-b:v", bitrate, "-minrate", bitrate, "-maxrate", bitrate, "-bufsize", bitrate, "-x264-params", "nal-hrd=cbr",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", audioBitrate, "-ac", "2",
            "-fflags", "+bitexact", "-flags", "+bitexact", "-f", "flv", out.toString());
        System.out.println(out);
    }
}
