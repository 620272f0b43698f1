package onair.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Publishes a media file to an RTMP URL with {@code ffmpeg [-re] [-stream_loop -1] -i FILE -c copy -f flv URL}. */
public final class FfmpegPublisher implements AutoCloseable {

    private final FfmpegProcess process;

    private FfmpegPublisher(FfmpegProcess process) {
        this.process = process;
    }

    /** Starts publishing {@code file} once at its own pace ({@code -re}). */
    public static FfmpegPublisher publish(Path file, String url) {
        return builder(file, url).start();
    }

    /** A publisher to configure before {@link Builder#start()}. */
    public static Builder builder(Path file, String url) {
        return new Builder(file, url);
    }

    /** The underlying process: exit code, stderr tail, start time. */
    public FfmpegProcess process() {
        return process;
    }

    /** Waits for the publisher to finish its file and fails, with the stderr tail, unless it exits 0. */
    public void awaitCompletion(Duration timeout) {
        process.assertExitsNormally(timeout);
    }

    /** Stops publishing with SIGTERM, then kills; returns the exit code. */
    public int stop() {
        return process.stop();
    }

    @Override
    public void close() {
        process.close();
    }

    /** Options for one publisher. */
    public static final class Builder {
        private final Path file;
        private final String url;
        private boolean realtime = true;
        private boolean loop;
        private String name = "publisher";
        private Duration lifetime = Ffmpeg.DEFAULT_LIFETIME;
        private final List<String> inputArgs = new ArrayList<>();
        private final List<String> outputArgs = new ArrayList<>();

        private Builder(Path file, String url) {
            this.file = file;
            this.url = url;
        }

        /** Whether to read the input at its native rate ({@code -re}, the default) or as fast as possible. */
        public Builder realtime(boolean realtime) {
            this.realtime = realtime;
            return this;
        }

        /** Loops the input forever ({@code -stream_loop -1}); such a publisher runs until stopped. */
        public Builder loop() {
            this.loop = true;
            return this;
        }

        /** Names the log files. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The longest the process may run before it is killed. */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** Extra options placed before {@code -i}. */
        public Builder inputArgs(String... args) {
            inputArgs.addAll(List.of(args));
            return this;
        }

        /** Extra options placed after {@code -c copy}, before the URL. */
        public Builder outputArgs(String... args) {
            outputArgs.addAll(List.of(args));
            return this;
        }

        public FfmpegPublisher start() {
            List<String> args = new ArrayList<>();
            if (realtime) {
                args.add("-re");
            }
            if (loop) {
                args.addAll(List.of("-stream_loop", "-1"));
            }
            args.addAll(inputArgs);
            args.addAll(List.of("-i", file.toString(), "-c", "copy"));
            args.addAll(outputArgs);
            args.addAll(List.of("-f", "flv", url));
            return new FfmpegPublisher(Ffmpeg.start(name, lifetime, args.toArray(String[]::new)));
        }
    }
}
