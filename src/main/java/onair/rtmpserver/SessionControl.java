package onair.rtmpserver;

import io.netty.channel.ChannelHandlerContext;
import onair.rtmp.command.Capabilities;
import onair.rtmp.command.Command;
import onair.rtmp.command.Play;
import onair.rtmp.command.Publish;
import onair.rtmp.command.Responses;
import onair.rtmp.message.CommandMessage;
import onair.stream.Client;
import onair.stream.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Control requests (nginx-rtmp's {@code /control/drop} and {@code /control/redirect}, Onair's
 * {@code /control/reconnect}), carried out on the connection's event loop. A redirect ends what the NetStream
 * publishes or plays on the old stream and replays the command under the new name, as
 * {@code ngx_rtmp_control_redirect_handler} does.
 */
final class SessionControl implements Client.Control {

    private static final Logger log = LoggerFactory.getLogger(RtmpSession.class);

    private final RtmpSession session;

    SessionControl(RtmpSession session) {
        this.session = session;
    }

    @Override
    public void drop() {
        session.ctx().executor().execute(() -> session.abort("dropped by control"));
    }

    @Override
    public void redirect(StreamKey from, String newName) {
        ChannelHandlerContext ctx = session.ctx();
        ctx.executor().execute(() -> {
            for (NetStream stream : List.copyOf(session.streams())) {
                Command command = switch (stream.state()) {
                    case NetStream.Publishing publishing when from.equals(publishing.key()) ->
                        new Publish(stream.id, newName, "live");
                    case NetStream.Playing playing when from.equals(playing.key()) && !playing.paused() ->
                        new Play(stream.id, newName, -2, -1, true);
                    default -> null;
                };
                if (command == null) {
                    continue;
                }
                stream.end();
                log.info("{} redirected by control from {} to {}", session, from.name(), newName);
                try {
                    session.onCommand(command);
                } catch (RuntimeException e) {
                    session.exceptionCaught(ctx, e);
                }
            }
        });
    }

    @Override
    public boolean reconnect(String tcUrl, String description) {
        if (!session.capabilities().has(Capabilities.RECONNECT)) {
            return false;
        }
        session.ctx().executor().execute(() -> {
            session.ctx().writeAndFlush(Responses.reconnectRequest(tcUrl, description));
            log.info("{} asked by control to reconnect{}", session, tcUrl == null ? "" : " to " + tcUrl);
        });
        return true;
    }

    @Override
    public void status(StreamKey key, String level, String code, String description) {
        session.ctx().executor().execute(() -> {
            for (NetStream stream : session.streams()) {
                if (stream.state() instanceof NetStream.Publishing publishing && key.equals(publishing.key())) {
                    session.ctx().writeAndFlush(CommandMessage.onStatus(stream.id, level, code, description));
                }
            }
        });
    }
}
