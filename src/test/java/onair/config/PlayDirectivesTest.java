package onair.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code play} directives bound from configuration text, with nginx-rtmp's order of inherited locations. */
class PlayDirectivesTest {

    private static ServerConfig parse(String text) {
        return ServerConfig.parse(text, "/etc/onair/t.conf");
    }

    @Test
    void locationsAreTheApplicationsOwnInOrderThenThoseItInherits() {
        ApplicationConfig app = parse("""
                rtmp {
                    play /srv/all;
                    server {
                        listen 1;
                        application vod { play videos http://media.example/vod/; play /srv/more; }
                    }
                }
                """).application("vod").orElseThrow();

        assertThat(app.play().locations()).containsExactly(
            new PlayConfig.Location(Path.of("/etc/onair/videos"), null),
            new PlayConfig.Location(null, URI.create("http://media.example/vod/")),
            new PlayConfig.Location(Path.of("/srv/more"), null),
            new PlayConfig.Location(Path.of("/srv/all"), null));
        assertThat(app.accepts()).isTrue();
        assertThat(app.live()).isFalse();
    }

    @Test
    void anApplicationWithoutPlayServesNoFilesAndWithoutLiveTakesNoConnections() {
        ApplicationConfig app = parse("rtmp { server { listen 1; application a { } } }").application("a").orElseThrow();

        assertThat(app.play().enabled()).isFalse();
        assertThat(app.accepts()).isFalse();
    }

    @Test
    void playTempAndLocalPathsAreCheckedAndNotedAsHavingNoEffect() {
        ServerConfig config = parse("""
                rtmp { server { listen 1; application vod {
                    play http://media.example/vod;
                    play_temp_path /tmp/vod;
                    play_local_path /var/vod;
                } } }
                """);

        assertThat(config.ignored()).containsExactly(
            "/etc/onair/t.conf:3: directive \"play_temp_path\" has no effect in Onair (remote files are read with "
                + "range requests, not downloaded)",
            "/etc/onair/t.conf:4: directive \"play_local_path\" has no effect in Onair (remote files are read with "
                + "range requests, not downloaded)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            play;                   | t.conf:2: invalid number of arguments in "play" directive
            play ftp://host/videos; | t.conf:2: invalid value "ftp://host/videos" in "play" directive, play location \
                "ftp://host/videos" is neither a directory nor an http:// or https:// URL
            play http:///videos;    | t.conf:2: invalid value "http:///videos" in "play" directive, play URL \
                "http:///videos" has no host
            """)
    void badLocationsAreRefusedWithTheirLine(String directive, String message) {
        assertThatThrownBy(() -> ServerConfig.parse("rtmp { server { listen 1; application a {\n" + directive
            + "\n} } }", "t.conf")).isInstanceOf(ConfigException.class).hasMessage(message.replaceAll(" +", " "));
    }
}
