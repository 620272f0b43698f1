package onair.rtmp.command;

import onair.rtmp.RtmpProtocolException;
import onair.rtmp.message.CommandMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Each command a client sends, as it arrives in a {@link CommandMessage}, and the typed command it parses to. */
class CommandTest {

    static Stream<Arguments> commands() {
        Map<String, Object> connect = new LinkedHashMap<>();
        connect.put("app", "live/");
        connect.put("flashVer", "FMLE/3.0");
        connect.put("swfUrl", "http://site/player.swf");
        connect.put("tcUrl", "rtmp://host/live");
        connect.put("pageUrl", "http://site/");
        connect.put("objectEncoding", 3.0);
        Map<String, Object> bare = Map.of("app", 7.0);
        return Stream.of(
            arguments(message(0, "connect", 1, connect), new Connect(1, "live/", "FMLE/3.0",
                "http://site/player.swf", "rtmp://host/live", "http://site/", 3, Capabilities.NONE)),
            arguments(message(0, "connect", 1, bare), new Connect(1, "", "", "", "", "", 0, Capabilities.NONE)),
            arguments(message(0, "createStream", 2, null), new CreateStream(2)),
            arguments(message(1, "publish", 0, null, "key?token=a", "record"), new Publish(1, "key?token=a", "record")),
            arguments(message(1, "publish", 0, null, "key"), new Publish(1, "key", "live")),
            arguments(message(1, "publish", 0, null, "key", 5.0), new Publish(1, "key", "live")),
            arguments(message(2, "play", 0, null, "key", 10.0, 20.0, false), new Play(2, "key", 10, 20, false)),
            arguments(message(2, "play", 0, null, "key"), new Play(2, "key", -2, -1, true)),
            arguments(message(2, "play", 0, null, "key", "x", null, "y"), new Play(2, "key", -2, -1, true)),
            arguments(message(2, "pause", 0, null, true, 1000.0), new Pause(2, true)),
            arguments(message(2, "pause", 0, null, false, 1000.0), new Pause(2, false)),
            arguments(message(2, "pause", 0, null), new Pause(2, false)),
            arguments(message(2, "seek", 0, null, 3500.0), new Seek(2, 3500)),
            arguments(message(2, "seek", 0, null, -20.0), new Seek(2, 0)),
            arguments(message(2, "seek", 0, null), new Seek(2, 0)),
            arguments(message(0, "deleteStream", 0, null, 3.0), new DeleteStream(3)),
            arguments(message(0, "deleteStream", 0, null), new Ignored("deleteStream")),
            arguments(message(0, "deleteStream", 0, null, "3"), new Ignored("deleteStream")),
            arguments(message(4, "closeStream", 0, null), new CloseStream(4)),
            arguments(message(0, "FCUnpublish", 5, null, "key?a=b"), new FcUnpublish("key?a=b")),
            arguments(message(0, "FCUnpublish", 5, null), new Ignored("FCUnpublish")),
            arguments(message(1, "receiveAudio", 0, null, false), new ReceiveAudio(1, false)),
            arguments(message(1, "receiveVideo", 0, null, true), new ReceiveVideo(1, true)),
            arguments(message(1, "receiveVideo", 0, null, "yes"), new ReceiveVideo(1, false)),
            arguments(message(0, "getStreamLength", 6, null, "key"), new GetStreamLength(6)),
            arguments(message(0, "releaseStream", 3, null, "key"), new Ignored("releaseStream")),
            arguments(message(0, "FCPublish", 4, null, "key"), new Ignored("FCPublish")),
            arguments(message(0, "FCSubscribe", 4, null, "key"), new Ignored("FCSubscribe")),
            arguments(message(0, "_checkbw", 4, null), new Ignored("_checkbw")),
            arguments(message(0, "_result", 4, null), new Ignored("_result")),
            arguments(message(0, "onBWDone", 0, null), new Ignored("onBWDone")),
            arguments(message(0, "getStreamInfo", 0, null, 0.0), new Unknown("getStreamInfo")));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void parsesEachCommandWithNginxRtmpDefaults(CommandMessage message, Command expected) {
        Command command = Command.parse(message);

        assertThat(command).isEqualTo(expected);
        assertThat(command.commandName()).isEqualTo(message.name());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            arguments(message(0, "connect", 1, null), "connect without a command object"),
            arguments(message(0, "connect", 1, "live"), "connect without a command object"),
            arguments(message(1, "publish", 0, null), "publish without a stream name"),
            arguments(message(1, "publish", 0, null, 5.0, "live"), "publish without a stream name"),
            arguments(message(1, "play", 0, null), "play without a stream name"),
            arguments(message(1, "play", 0, null, (Object) null), "play without a stream name"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void aMalformedCommandIsAProtocolErrorNamingIt(CommandMessage message, String error) {
        assertThatThrownBy(() -> Command.parse(message))
            .isInstanceOf(RtmpProtocolException.class)
            .hasMessage(error);
    }

    private static CommandMessage message(int streamId, String name, double transaction, Object commandObject,
            Object... arguments) {
        List<Object> values = Arrays.asList(arguments);
        return new CommandMessage(streamId, 0, name, transaction, commandObject, values);
    }
}
