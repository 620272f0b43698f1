package onair.rtmp.command;

import onair.rtmp.message.CommandMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The replies as a client decodes them: name, transaction, stream and the info object's fields in order. */
class ResponsesTest {

    @Test
    void onStatusCarriesTheLevelCodeAndNginxRtmpDescription() {
        CommandMessage status = Responses.onStatus(3, Status.PUBLISH_START);

        assertThat(status).isEqualTo(new CommandMessage(3, 0, "onStatus", 0, null, List.of(Map.of(
            "level", "status", "code", "NetStream.Publish.Start", "description", "Start publishing"))));
        List<Object> keys = List.copyOf(((Map<?, ?>) status.arguments().getFirst()).keySet());
        assertThat(keys).containsExactly("level", "code", "description");
    }

    @Test
    void onStatusMayReplaceTheDescription() {
        CommandMessage status = Responses.onStatus(1, Status.PLAY_FAILED, "Play denied: no");

        assertThat(status.arguments()).containsExactly(Map.of("level", "error", "code", "NetStream.Play.Failed",
            "description", "Play denied: no"));
    }

    @Test
    void resultAndErrorAnswerTheTransactionOnStreamZero() {
        Map<String, Object> info = Responses.info(Status.CONNECT_REJECTED);

        assertThat(Responses.result(2, null, 1.0))
            .isEqualTo(new CommandMessage(0, 0, "_result", 2, null, List.of(1.0)));
        assertThat(Responses.error(1, null, info))
            .isEqualTo(new CommandMessage(0, 0, "_error", 1, null, List.of(Map.of("level", "error",
                "code", "NetConnection.Connect.Rejected", "description", "Connection rejected."))));
    }
}
