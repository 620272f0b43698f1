package onair.rtmpserver;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import onair.config.ServerConfig;
import onair.lifecycle.Lifecycle;
import onair.rtmp.chunk.ChunkDecoder;
import onair.rtmp.chunk.RawMessage;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.RtmpMessageCodec;
import onair.stream.Client;
import onair.stream.StreamRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connect {@code _result} as AMF0 bytes on the wire: a legacy client's is nginx-rtmp's, unchanged; a client that
 * announces Enhanced RTMP v2 capabilities also gets Onair's (E-RTMP v2, "Enhancing NetConnection connect Command").
 */
class ConnectCapabilitiesTest {

    private static final String RESULT_HEAD = "0200075f726573756c74 003ff0000000000000"
        + "03 0006666d73566572 02000d464d532f332c302c312c313233"
        + "000c6361706162696c6974696573 00403f000000000000";

    private static final String SUCCESS_INFO = "03 00056c6576656c 0200067374617475730004636f6465"
        + "02001d4e6574436f6e6e656374696f6e2e436f6e6e6563742e53756363657373"
        + "000b6465736372697074696f6e 020015436f6e6e656374696f6e207375636365656465642e"
        + "000e6f626a656374456e636f64696e67 000000000000000000 000009";

    /** fourCcList: avc1 hvc1 av01 vp09 vp08 .mp3 mp4a Opus fLaC ac-3 ec-3, a strict array of 11 strings. */
    private static final String FOUR_CC_LIST = "000a666f757243634c697374 0a0000000b"
        + "02000461766331 02000468766331 02000461763031 02000476703039 02000476703038"
        + "0200042e6d7033 0200046d703461 0200044f707573 020004664c6143 02000461632d33 02000465632d33";

    /** Every FourCC CanForward (4.0). */
    private static final String INFO_MAPS = "0012766964656f466f75724363496e666f4d6170 03"
        + "000461766331 004010000000000000 000468766331 004010000000000000 000461763031 004010000000000000"
        + "000476703039 004010000000000000 000476703038 004010000000000000 000009"
        + "0012617564696f466f75724363496e666f4d6170 03"
        + "00042e6d7033 004010000000000000 00046d703461 004010000000000000 00044f707573 004010000000000000"
        + "0004664c6143 004010000000000000 000461632d33 004010000000000000 000465632d33 004010000000000000"
        + "000009";

    /** capsEx: Reconnect | Multitrack | ModEx. */
    private static final String CAPS_EX = "0006636170734578 00401c000000000000 000009";

    /** onStatus, transaction 0, null, {level: status, code: NetConnection.Connect.ReconnectRequest, …}. */
    private static final String RECONNECT_HEAD = "0200086f6e537461747573 000000000000000000 05"
        + "03 00056c6576656c 020006737461747573"
        + "0004636f6465 0200264e6574436f6e6e656374696f6e2e436f6e6e6563742e5265636f6e6e65637452657175657374"
        + "000b6465736372697074696f6e";

    private final Client client = new Client(1, Client.Protocol.RTMP, "127.0.0.1", 0);
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(), new RtmpMessageCodec(),
        new RtmpSession(ServerConfig.parse("rtmp { server { listen 127.0.0.1:0; application live { live on; } } }",
            "test.conf").rtmpServers().getFirst(), new StreamRegistry(), new Lifecycle(List.of()),
            new MaxConnections(), client));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static Map<String, Object> connect() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("app", "live");
        properties.put("flashVer", "FMLE/3.0 (compatible; test)");
        properties.put("tcUrl", "rtmp://127.0.0.1/live");
        return properties;
    }

    /** The payload of the connect {@code _result}, the fourth message Onair sends after three control messages. */
    private String result(Map<String, Object> properties) {
        channel.writeInbound(new CommandMessage(0, 0, "connect", 1, properties, List.of()));
        return command();
    }

    /** The payload of the next AMF0 command Onair sends, on message stream 0. */
    private String command() {
        channel.runPendingTasks();
        for (Object message; (message = channel.readOutbound()) != null; ) {
            try {
                if (message instanceof RawMessage raw && raw.typeId() == 20) {
                    assertThat(raw.streamId()).isZero();
                    return ByteBufUtil.hexDump(raw.content());
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
        throw new AssertionError("no command sent");
    }

    private static String hex(String spaced) {
        return spaced.replace(" ", "");
    }

    @Test
    void aLegacyClientGetsNginxRtmpsResultByteForByte() {
        assertThat(result(connect())).isEqualTo(hex(RESULT_HEAD + "000009" + SUCCESS_INFO));
    }

    @Test
    void aClientAnnouncingCapabilitiesGetsTheCodecsOnairForwardsAndTheCapsExItImplements() {
        Map<String, Object> properties = connect();
        properties.put("fourCcList", List.of("av01", "hvc1"));
        properties.put("capsEx", 3.0);

        assertThat(result(properties))
            .isEqualTo(hex(RESULT_HEAD + FOUR_CC_LIST + INFO_MAPS + CAPS_EX + SUCCESS_INFO));
    }

    @Test
    void anEnhancedRtmpV1FourCcListAloneIsAnsweredToo() {
        Map<String, Object> properties = connect();
        properties.put("fourCcList", List.of("hvc1"));

        assertThat(result(properties)).startsWith(hex(RESULT_HEAD + FOUR_CC_LIST));
    }

    @Test
    void aClientAnnouncingReconnectCanBeAskedToReconnectOnItsNetConnection() {
        Map<String, Object> properties = connect();
        properties.put("capsEx", 1.0);
        result(properties);

        assertThat(client.control().reconnect("rtmp://other/live", "Server moving")).isTrue();
        assertThat(command()).isEqualTo(hex(RECONNECT_HEAD + "02000d536572766572206d6f76696e67"
            + "0005746355726c 02001172746d703a2f2f6f746865722f6c697665 000009"));
        assertThat(client.control().reconnect(null, null)).isTrue();
        assertThat(command()).isEqualTo(hex(RECONNECT_HEAD
            + "020031 546865207365727665722069732072657175657374696e67"
            + "2074686520636c69656e7420746f207265636f6e6e6563742e 000009"));
    }

    @Test
    void aClientThatDidNotAnnounceReconnectIsNotAsked() {
        Map<String, Object> properties = connect();
        properties.put("capsEx", 2.0);
        result(properties);

        assertThat(client.control().reconnect("rtmp://other/live", null)).isFalse();
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).isNull();
    }
}
