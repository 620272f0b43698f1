package onair.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code record*} directives and {@code recorder} blocks, bound and merged like nginx-rtmp's record module. */
class RecordConfigTest {

    private static RecordConfig record(String rtmpBody) {
        return ServerConfig.parse("rtmp {\n" + rtmpBody + "\n}", "/etc/onair/t.conf").rtmpServers().getFirst()
            .application("a").orElseThrow().record();
    }

    @Test
    void withoutRecordDirectivesAnApplicationHasNoRecorders() {
        assertThat(record("server { listen 1; application a { live on; } }")).isEqualTo(RecordConfig.OFF);
    }

    @Test
    void theDefaultsAreNginxRtmps() {
        RecordConfig.Recorder recorder = record("server { listen 1; application a { record all; record_path /r; } }")
            .recorders().getFirst();

        assertThat(recorder).isEqualTo(new RecordConfig.Recorder("", EnumSet.of(RecordConfig.Flag.AUDIO,
            RecordConfig.Flag.VIDEO), Path.of("/r"), ".flv", false, false, false, 0, 0, null, false));
        assertThat(recorder.automatic()).isTrue();
    }

    @Test
    void recordersInheritRtmpServerAndApplicationSettingsAndOverrideThem() {
        RecordConfig config = record("""
            record_max_size 1m; record_path rec;
            server { listen 1; record_unique on;
                application a { record all; record_interval 15s; record_notify on;
                    recorder audio { record audio; record_suffix .audio.flv; }
                    recorder chunked { record_interval 1m; record_path /var/chunks; record_append on; record_lock on;
                        record_max_frames 250; }
                }
            }""");

        assertThat(config.recorders()).extracting(RecordConfig.Recorder::name).containsExactly("", "audio", "chunked");
        RecordConfig.Recorder own = config.recorder("").orElseThrow();
        RecordConfig.Recorder audio = config.recorder("audio").orElseThrow();
        RecordConfig.Recorder chunked = config.recorder("chunked").orElseThrow();
        assertThat(own.path()).as("relative to the configuration file").isEqualTo(Path.of("/etc/onair/rec"));
        assertThat(own.maxSize()).isEqualTo(1 << 20);
        assertThat(own.unique()).isTrue();
        assertThat(own.interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(own.notifyPublisher()).isTrue();
        assertThat(audio.flags()).isEqualTo(Set.of(RecordConfig.Flag.AUDIO));
        assertThat(audio.suffix()).isEqualTo(".audio.flv");
        assertThat(audio.interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(audio.path()).isEqualTo(Path.of("/etc/onair/rec"));
        assertThat(chunked.flags()).as("inherited").isEqualTo(own.flags());
        assertThat(chunked.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(chunked.path()).isEqualTo(Path.of("/var/chunks"));
        assertThat(List.of(chunked.append(), chunked.lock(), chunked.unique())).containsOnly(true);
        assertThat(chunked.maxFrames()).isEqualTo(250);
        assertThat(chunked.maxSize()).isEqualTo(1 << 20);
        assertThat(config.recorder("nope")).isEmpty();
    }

    @ParameterizedTest(name = "record {0}")
    @CsvSource(delimiter = '|', value = {
        "off                   |                    |false",
        "all                   |AUDIO VIDEO         |true",
        "audio keyframes       |AUDIO KEYFRAMES     |true",
        "video manual          |VIDEO MANUAL        |false",
        "all manual            |AUDIO VIDEO MANUAL  |false",
    })
    void recordValuesCombine(String values, String flags, boolean automatic) {
        RecordConfig.Recorder recorder = record("server { listen 1; application a { record " + values
            + "; record_path /r; } }").recorders().getFirst();

        Set<RecordConfig.Flag> expected = flags == null ? Set.of() : Set.of(flags.split(" ")).stream()
            .map(RecordConfig.Flag::valueOf).collect(java.util.stream.Collectors.toSet());
        assertThat(recorder.flags()).isEqualTo(expected);
        assertThat(recorder.automatic()).isEqualTo(automatic);
    }

    @Test
    void recordOffKeepsTheApplicationsRecorderForControlAndNeedsNoPath() {
        assertThat(record("server { listen 1; application a { record off; } }").recorders())
            .singleElement().satisfies(recorder -> assertThat(recorder.flags()).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "record all;                              |t.conf:3: no \"record_path\" for the recorder of application \"a\"",
        "record_path /r; recorder x { record all; }  recorder x { }|t.conf:3: duplicate recorder \"x\"",
        "record_path /r; recorder x;              |t.conf:3: directive \"recorder\" has no opening \"{\"",
        "record_path /r; recorder x { live on; }  |t.conf:3: \"live\" directive is not allowed here",
        "record_path /r; recorder x { recorder y { } }|t.conf:3: \"recorder\" directive is not allowed here",
        "record off all; record_path /r;          |t.conf:3: invalid value \"off all\" in \"record\" directive, "
            + "\"off\" cannot be combined with other values",
        "record everything; record_path /r;       |t.conf:3: invalid value \"everything\" in \"record\" directive, "
            + "it must be \"off\", \"all\", \"audio\", \"video\", \"keyframes\" or \"manual\"",
        "record all; record_path /r; record_max_frames x;|t.conf:3: invalid value \"x\" in \"record_max_frames\" directive",
        "record all; record_path /r; record_unique yes;|t.conf:3: invalid value \"yes\" in \"record_unique\" directive, "
            + "it must be \"on\" or \"off\"",
        "record all; record_path /r; record_suffix .mp4; record_append on;|t.conf:3: \"record_append\" is for FLV "
            + "recordings, not for the MP4 suffix \".mp4\"",
        "record all; record_path /r; record_path_max_size lots;|t.conf:3: invalid value \"lots\" in "
            + "\"record_path_max_size\" directive",
    })
    void badRecordSettingsAreRejectedWithTheirLine(String application, String message) {
        assertThatThrownBy(() -> ServerConfig.parse("rtmp { server { listen 1;\n\napplication a { " + application
            + " } } }", "t.conf")).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void mp4AndRetentionSettingsAreMergedLikeTheOthers() {
        RecordConfig config = record("""
            record_max_age 7d;
            server { listen 1;
                application a { record all; record_path /r; record_suffix -%Y%m%d.MP4; record_path_max_size 50G;
                    recorder frag { record_suffix .mp4; record_fragmented on; record_max_age 0; }
                    recorder flv { record_suffix .flv; }
                }
            }""");

        RecordConfig.Recorder own = config.recorder("").orElseThrow();
        assertThat(own.mp4()).isTrue();
        assertThat(own.extension()).isEqualTo(".mp4");
        assertThat(own.storage()).isEqualTo(new RecordConfig.Storage(false, Duration.ofDays(7), 50L << 30));
        assertThat(config.recorder("frag").orElseThrow().storage())
            .isEqualTo(new RecordConfig.Storage(true, null, 50L << 30));
        assertThat(config.recorder("flv").orElseThrow().mp4()).isFalse();
    }

    @Test
    void recorderBlocksBelongInApplications() {
        assertThatThrownBy(() -> ServerConfig.parse("rtmp { server { listen 1;\nrecorder x { } } }", "t.conf"))
            .isInstanceOf(ConfigException.class).hasMessage("t.conf:2: \"recorder\" directive is not allowed here");
    }

    @Test
    void recordCallbacksAreMergedIntoRecordersAndARecordersOwnOverridesItsApplications() {
        RecordConfig config = record("""
            on_record_started http://hooks/rtmp-started;
            server { listen 1; on_record_done http://hooks/server-done;
                application a { record all; record_path /r;
                    recorder chunks { on_record_done http://hooks/chunks-done; record_interval 1m; }
                    recorder audio { record audio; }
                }
            }""");

        RecordConfig.Hooks own = config.recorder("").orElseThrow().hooks();
        RecordConfig.Hooks chunks = config.recorder("chunks").orElseThrow().hooks();
        RecordConfig.Hooks audio = config.recorder("audio").orElseThrow().hooks();
        assertThat(own.onRecordStarted()).isEqualTo(URI.create("http://hooks/rtmp-started"));
        assertThat(own.onRecordDone()).isEqualTo(URI.create("http://hooks/server-done"));
        assertThat(chunks.onRecordDone()).isEqualTo(URI.create("http://hooks/chunks-done"));
        assertThat(chunks.onRecordStarted()).isEqualTo(URI.create("http://hooks/rtmp-started"));
        assertThat(audio.onRecordDone()).isEqualTo(URI.create("http://hooks/server-done"));
    }

    @Test
    void aRecorderBlockHoldsItsOwnExecRecordLinesParsedAsWritten() {
        RecordConfig config = record("""
            server { listen 1;
                application a { record all; record_path /r;
                    recorder chunks { record_interval 1m;
                        exec_record_started /bin/log started $path;
                        exec_record_done ffmpeg -i $path -c copy $dirname/$basename.mp4 name=x;
                        exec_record_done /bin/rm $path;
                    }
                }
            }""");

        RecordConfig.Hooks chunks = config.recorder("chunks").orElseThrow().hooks();
        assertThat(config.recorder("").orElseThrow().hooks()).isEqualTo(RecordConfig.Hooks.NONE);
        assertThat(chunks.exec(ExecConfig.Kind.RECORD_STARTED)).containsExactly(new ExecConfig.Command(
            ExecConfig.Kind.RECORD_STARTED, "/bin/log", List.of("started", "$path"), Set.of()));
        assertThat(chunks.exec(ExecConfig.Kind.RECORD_DONE)).extracting(ExecConfig.Command::toString).containsExactly(
            "ffmpeg -i $path -c copy $dirname/$basename.mp4 name=x", "/bin/rm $path");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "recorder r { on_record_done ftp://x/done; } | t.conf:3: invalid value \"ftp://x/done\" in \"on_record_done\""
            + " directive, the URL must start with \"http://\" or \"https://\"",
        "recorder r { on_record_started; } | t.conf:3: invalid number of arguments in \"on_record_started\" directive",
        "recorder r { on_record_done http://a/1; on_record_done http://a/2; } "
            + "| t.conf:3: \"on_record_done\" directive is duplicate",
        "recorder r { exec_record_done; } | t.conf:3: invalid number of arguments in \"exec_record_done\" directive",
        "recorder r { exec_record_started ''; } | t.conf:3: invalid value \"\" in \"exec_record_started\" directive,"
            + " exec_record_started needs a program to run",
    })
    void badRecordHooksAreRefusedAtTheirLine(String application, String message) {
        assertThatThrownBy(() -> ServerConfig.parse("rtmp { server { listen 1;\n\napplication a { " + application
            + " } } }", "t.conf")).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void onRecordStartedIsAcceptedFromTheRtmpBlockToTheApplication() {
        ServerConfig config = ServerConfig.parse("""
            rtmp { on_record_started http://h/r;
                server { listen 1; on_record_started http://h/s;
                    application a { on_record_started http://h/a; record all; record_path /r; } } }""", "t.conf");

        assertThat(config.application("a").orElseThrow().record().recorder("").orElseThrow().hooks()
            .onRecordStarted()).isEqualTo(URI.create("http://h/a"));
    }
}
