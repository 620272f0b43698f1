package onair.stats;

import onair.config.LogFormat;
import onair.stream.Client;
import onair.stream.Clients;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AccessLogTest {

    private static final ZonedDateTime END = ZonedDateTime.of(2026, 11, 29, 21, 41, 49, 7_000_000,
        ZoneOffset.ofHours(1));

    private static Client client() {
        Client client = new Clients().open(Client.Protocol.RTMP, new InetSocketAddress("192.0.2.7", 50000), 0);
        client.connected("live", "FMLE/3.0", "http://s/p.swf", "rtmp://h/live", "http://s/page");
        client.started(false, "cam", "token=1");
        client.addBytesIn(3500);
        client.addBytesOut(1_234_567);
        return client;
    }

    @ParameterizedTest(name = "${0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "connection            |1",
        "remote_addr           |192.0.2.7",
        "app                   |live",
        "name                  |cam",
        "args                  |token=1",
        "flashver              |FMLE/3.0",
        "swfurl                |http://s/p.swf",
        "tcurl                 |rtmp://h/live",
        "pageurl               |http://s/page",
        "command               |PLAY",
        "bytes_sent            |1234567",
        "bytes_received        |3500",
        "time_local            |29/Nov/2026:21:41:49 +0100",
        "msec                  |1795984909.007",
        "session_time          |0",
        "session_readable_time |0s",
    })
    void eachVariableIsWhatNginxRtmpWrites(String variable, String expected) {
        String line = AccessLog.format(LogFormat.compile("v", "<${" + variable + "}>"), client(), END);
        assertThat(line).isEqualTo("<" + expected + ">");
    }

    @Test
    void combinedFormatLine() {
        assertThat(AccessLog.format(LogFormat.COMBINED, client(), END)).isEqualTo("192.0.2.7 "
            + "[29/Nov/2026:21:41:49 +0100] PLAY \"live\" \"cam\" \"token=1\" - 3500 1234567 \"http://s/page\" "
            + "\"FMLE/3.0\" (0s)");
    }

    @ParameterizedTest(name = "{0} s → {1}")
    @CsvSource({"0, 0s", "59, 59s", "60, 1m 0s", "3600, 1h 0m 0s", "3661, 1h 1m 1s", "90061, 1d 1h 1m 1s",
        "86400, 1d 0h 0m 0s"})
    void sessionReadableTimeLeavesOutLeadingZeroUnits(long seconds, String readable) {
        assertThat(AccessLog.readable(seconds)).isEqualTo(readable);
    }

    @ParameterizedTest(name = "played {0}, published {1} → {2}")
    @CsvSource({"false, false, NONE", "true, false, PLAY", "false, true, PUBLISH", "true, true, PLAY+PUBLISH"})
    void commandSaysWhatTheConnectionDid(boolean played, boolean published, String command) {
        Client client = new Clients().open(Client.Protocol.RTMP, new InetSocketAddress("192.0.2.7", 1), 0);
        if (played) {
            client.started(false, "a", "");
        }
        if (published) {
            client.started(true, "b", "");
        }
        assertThat(AccessLog.format(LogFormat.compile("c", "$command"), client, END)).isEqualTo(command);
    }

    @Test
    void aServerWritesOneLinePerFinishedConnectionToEachTarget(@TempDir Path dir) throws Exception {
        Path combined = dir.resolve("access.log");
        Path custom = dir.resolve("custom.log");
        String config = "rtmp { log_format custom '$connection $command $app/$name?$args $tcurl'; "
            + "server { listen 127.0.0.1:0; access_log " + dir.resolve("server.log") + "; "
            + "application live { live on; access_log " + combined + "; access_log " + custom + " custom; } } }";
        try (TestServer server = TestServer.start(config)) {
            try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "cam?key=1", 10,
                     100);
                 TestPlayer player = TestPlayer.play(server.address(), "live", "cam")) {
                publisher.send(5);
                publisher.sync();
            }
            await().until(() -> Files.exists(custom) && Files.readAllLines(custom).size() == 2);
            List<String> lines = Files.readAllLines(combined);
            assertThat(lines).hasSize(2);
            assertThat(lines).anySatisfy(line -> assertThat(line).matches("127\\.0\\.0\\.1 \\[[^]]+] PUBLISH "
                + "\"live\" \"cam\" \"key=1\" - \\d+ \\d+ \"\" \"FMLE/3\\.0 \\(compatible; onair-test\\)\" \\(0s\\)"));
            assertThat(lines).anySatisfy(line -> assertThat(line).matches("127\\.0\\.0\\.1 \\[[^]]+] PLAY "
                + "\"live\" \"cam\" \"\" - \\d+ \\d+ \"\" \"FMLE/3\\.0 \\(compatible; onair-test\\)\" \\(0s\\)"));
            assertThat(Files.readAllLines(custom)).containsExactlyInAnyOrder(
                "1 PUBLISH live/cam?key=1 rtmp://127.0.0.1/live", "2 PLAY live/cam? rtmp://127.0.0.1/live");
            assertThat(dir.resolve("server.log")).doesNotExist();
        }
    }

    @Test
    void aConnectionThatNeverReachedAnApplicationUsesTheServerLog(@TempDir Path dir) throws Exception {
        Path serverLog = dir.resolve("server.log");
        String config = "rtmp { server { listen 127.0.0.1:0; access_log " + serverLog + "; "
            + "application live { live on; access_log off; } } }";
        try (TestServer server = TestServer.start(config)) {
            onair.testing.RtmpTestClient.open(server.address()).close();
            await().until(() -> Files.exists(serverLog) && Files.readAllLines(serverLog).size() == 1);
            assertThat(Files.readAllLines(serverLog).getFirst()).matches("127\\.0\\.0\\.1 \\[[^]]+] NONE "
                + "\"\" \"\" \"\" - \\d+ \\d+ \"\" \"\" \\(0s\\)");
        }
    }
}
