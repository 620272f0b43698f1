package onair.exec;

import onair.config.ExecConfig;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command line ready to run: the argument vector and where the child's standard streams go, built from a
 * configured {@link ExecConfig.Command} as {@code ngx_rtmp_exec_run} does, without a shell. Each argument is
 * evaluated ({@link Substitution}), then one that starts with optional digits and {@code >} or {@code <} is a
 * redirect ({@code ngx_rtmp_eval_streams}) rather than an argument: {@code >file} (truncate), {@code >>file}
 * (append), {@code N>file}, {@code <file}, {@code N>&M}, applied in order as a shell does. Only the three standard
 * streams can be redirected; another redirect is left out and reported in {@link #ignored}. Unredirected, stdin is
 * {@code /dev/null} and stdout and stderr go to Onair's log (nginx-rtmp throws them away).
 *
 * @param stdin          the file stdin reads, or null for {@code /dev/null}
 * @param stderrToStdout stderr shares stdout's file ({@code >file 2>&1} or {@code 2>file 1>&2})
 * @param ignored        the redirects that were left out, with the reason
 */
public record Invocation(List<String> argv, Path stdin, Output stdout, Output stderr, boolean stderrToStdout,
        List<String> ignored) {

    private static final File DEV_NULL = new File("/dev/null");

    /** Where stdout or stderr goes. */
    public sealed interface Output {
    }

    /** Line by line to Onair's log. */
    public record Log() implements Output {
    }

    /** To a file, truncated first unless {@code append}. */
    public record ToFile(Path path, boolean append) implements Output {
    }

    public Invocation {
        argv = List.copyOf(argv);
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        ignored = List.copyOf(ignored);
    }

    /** The command line with its arguments evaluated against {@code variables} (missing ones are empty). */
    public static Invocation of(ExecConfig.Command command, Map<String, String> variables) {
        return build(command, variables);
    }

    /** The command line with its arguments as written, as {@code exec_static} runs them (no variables). */
    public static Invocation literal(ExecConfig.Command command) {
        return build(command, null);
    }

    private static Invocation build(ExecConfig.Command command, Map<String, String> variables) {
        List<String> argv = new ArrayList<>();
        argv.add(command.program());
        Streams streams = new Streams();
        for (String template : command.args()) {
            String arg = variables == null ? template : Substitution.evaluate(template, variables);
            if (!streams.redirect(arg)) {
                argv.add(arg);
            }
        }
        return new Invocation(argv, streams.stdin, streams.outputs[1], streams.outputs[2], streams.shared,
            streams.ignored);
    }

    /** The command line as the log and statistics show it. */
    public String commandLine() {
        return String.join(" ", argv);
    }

    /**
     * The {@code rtmp://} and {@code rtmps://} URLs among the arguments that are not an ffmpeg input (right after
     * {@code -i}): where the child publishes, for a watchdog on those streams.
     */
    public List<String> rtmpOutputs() {
        List<String> outputs = new ArrayList<>();
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            if ((arg.startsWith("rtmp://") || arg.startsWith("rtmps://")) && !argv.get(i - 1).equals("-i")) {
                outputs.add(arg);
            }
        }
        return outputs;
    }

    /** A process builder for this invocation; the caller reads stdout and stderr when they are {@link Log}. */
    public ProcessBuilder processBuilder() {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(DEV_NULL)
            : ProcessBuilder.Redirect.from(stdin.toFile()));
        builder.redirectOutput(redirect(stdout));
        if (stderrToStdout) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(redirect(stderr));
        }
        return builder;
    }

    private static ProcessBuilder.Redirect redirect(Output output) {
        return switch (output) {
            case Log log -> ProcessBuilder.Redirect.PIPE;
            case ToFile(Path path, boolean append) -> append ? ProcessBuilder.Redirect.appendTo(path.toFile())
                : ProcessBuilder.Redirect.to(path.toFile());
        };
    }

    /** The standard streams as the redirects in the arguments leave them. */
    private static final class Streams {
        private Path stdin;
        private final Output[] outputs = {null, new Log(), new Log()};
        private boolean shared;
        private final List<String> ignored = new ArrayList<>();

        /** Applies {@code arg} if it is a redirect, as {@code ngx_rtmp_eval_streams} recognises one. */
        boolean redirect(String arg) {
            int p = 0;
            while (p < arg.length() && arg.charAt(p) >= '0' && arg.charAt(p) <= '9') {
                p++;
            }
            if (p == arg.length() || (arg.charAt(p) != '>' && arg.charAt(p) != '<')) {
                return false;
            }
            boolean write = arg.charAt(p) == '>';
            int fd = p == 0 ? (write ? 1 : 0) : parseFd(arg.substring(0, p));
            p++;
            boolean append = write && p < arg.length() && arg.charAt(p) == '>';
            if (append) {
                p++;
            }
            String rest = arg.substring(p);
            if (write ? fd != 1 && fd != 2 : fd != 0) {
                ignored.add(arg + ": only stdin can be read from and only stdout and stderr written to");
            } else if (rest.startsWith("&")) {
                duplicate(arg, fd, parseFd(rest.substring(1)));
            } else if (rest.isEmpty()) {
                ignored.add(arg + ": no file name");
            } else if (write) {
                outputs[fd] = new ToFile(Path.of(rest), append);
                shared = false;
            } else {
                stdin = Path.of(rest);
            }
            return true;
        }

        private void duplicate(String arg, int fd, int source) {
            if (fd == 0 || (source != 1 && source != 2)) {
                ignored.add(arg + ": only stdout and stderr can be joined");
            } else if (source != fd) {
                outputs[fd] = outputs[source];
                shared = outputs[fd] instanceof ToFile;
            }
        }

        private static int parseFd(String digits) {
            if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return -1;
            }
            return Integer.parseInt(digits);
        }
    }
}
