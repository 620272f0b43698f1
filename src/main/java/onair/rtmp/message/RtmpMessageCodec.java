package onair.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.util.ReferenceCountUtil;
import onair.amf.Amf0;
import onair.amf.AmfException;
import onair.rtmp.RtmpProtocolException;
import onair.rtmp.chunk.RawMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Interprets whole RTMP messages by type id (RTMP spec §5.4, §6.2, §7.1) and writes typed messages back on the
 * {@link ChunkStreams} nginx-rtmp uses. Aggregate messages are split into their media and data messages; unknown types
 * are dropped.
 */
public final class RtmpMessageCodec extends MessageToMessageCodec<RawMessage, RtmpMessage> {

    private static final Logger LOG = LoggerFactory.getLogger(RtmpMessageCodec.class);

    static final int SET_CHUNK_SIZE = 1;
    static final int ABORT = 2;
    static final int ACKNOWLEDGEMENT = 3;
    static final int USER_CONTROL = 4;
    static final int WINDOW_ACKNOWLEDGEMENT_SIZE = 5;
    static final int SET_PEER_BANDWIDTH = 6;
    static final int DATA_AMF3 = 15;
    static final int COMMAND_AMF3 = 17;
    static final int DATA_AMF0 = 18;
    static final int COMMAND_AMF0 = 20;
    static final int AGGREGATE = 22;

    private static final int AGGREGATE_TAG_HEADER = 11;
    private static final int AGGREGATE_BACK_POINTER = 4;

    @Override
    protected void decode(ChannelHandlerContext ctx, RawMessage raw, List<Object> out) {
        out.addAll(decode(raw));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage msg, List<Object> out) {
        out.add(encode(msg, ctx.alloc()));
    }

    /**
     * The messages {@code raw} carries: none for an unknown type, several for an aggregate. {@code raw} is left as it
     * was; media messages hold their own reference to a slice of its payload.
     */
    public static List<RtmpMessage> decode(RawMessage raw) {
        ByteBuf body = raw.content().duplicate();
        int typeId = raw.typeId();
        try {
            return switch (typeId) {
                case SET_CHUNK_SIZE -> List.of(new SetChunkSize(readInt(body)));
                case ABORT -> List.of(new Abort(readInt(body)));
                case ACKNOWLEDGEMENT -> List.of(new Acknowledgement(readInt(body) & 0xFFFFFFFFL));
                case USER_CONTROL -> List.of(userControl(body));
                case WINDOW_ACKNOWLEDGEMENT_SIZE ->
                    List.of(new WindowAcknowledgementSize(readInt(body) & 0xFFFFFFFFL));
                case SET_PEER_BANDWIDTH -> List.of(setPeerBandwidth(body));
                case MediaMessage.AUDIO, MediaMessage.VIDEO -> List.of(
                    new MediaMessage(raw.streamId(), raw.timestamp(), typeId, body.retainedSlice()));
                case DATA_AMF0 -> List.of(new DataMessage(raw.streamId(), raw.timestamp(), Amf0.readAll(body)));
                case DATA_AMF3 -> List.of(
                    new DataMessage(raw.streamId(), raw.timestamp(), Amf0.readAll(skipAmf3Format(body))));
                case COMMAND_AMF0 -> List.of(command(raw, body));
                case COMMAND_AMF3 -> List.of(command(raw, skipAmf3Format(body)));
                case AGGREGATE -> aggregate(raw, body);
                default -> {
                    LOG.debug("Dropped {} of unknown type", raw);
                    yield List.of();
                }
            };
        } catch (RtmpProtocolException | AmfException | IllegalArgumentException e) {
            throw new RtmpProtocolException("malformed " + typeName(typeId) + " message: " + e.getMessage(), e);
        }
    }

    /**
     * {@code msg} as a whole message for the chunk layer. A media payload is shared, not copied: the result holds
     * its own reference and the caller keeps the one it had on {@code msg}.
     */
    public static RawMessage encode(RtmpMessage msg, ByteBufAllocator alloc) {
        return switch (msg) {
            case SetChunkSize m -> control(SET_CHUNK_SIZE, alloc.buffer(4).writeInt(m.chunkSize()));
            case Abort m -> control(ABORT, alloc.buffer(4).writeInt(m.chunkStreamId()));
            case Acknowledgement m -> control(ACKNOWLEDGEMENT, alloc.buffer(4).writeInt((int) m.sequenceNumber()));
            case UserControl m -> control(USER_CONTROL, userControl(m, alloc));
            case WindowAcknowledgementSize m ->
                control(WINDOW_ACKNOWLEDGEMENT_SIZE, alloc.buffer(4).writeInt((int) m.size()));
            case SetPeerBandwidth m ->
                control(SET_PEER_BANDWIDTH, alloc.buffer(5).writeInt((int) m.size()).writeByte(m.limitType()));
            case MediaMessage m -> new RawMessage(m.isAudio() ? ChunkStreams.AUDIO : ChunkStreams.VIDEO,
                m.timestamp(), m.typeId(), m.streamId(), m.payload().retainedDuplicate());
            case DataMessage m -> new RawMessage(ChunkStreams.DATA, m.timestamp(), DATA_AMF0, m.streamId(),
                amf0(alloc, m.values().toArray()));
            case CommandMessage m -> new RawMessage(ChunkStreams.COMMAND, m.timestamp(), COMMAND_AMF0, m.streamId(),
                amf0(alloc, commandValues(m)));
        };
    }

    private static UserControl userControl(ByteBuf body) {
        need(body, 2);
        UserControl.Event event = UserControl.Event.of(body.readUnsignedShort());
        return switch (event) {
            case UNKNOWN -> new UserControl(UserControl.Event.UNKNOWN, 0);
            case SET_BUFFER_LENGTH -> {
                int streamId = readInt(body);
                yield UserControl.setBufferLength(streamId, readInt(body));
            }
            default -> new UserControl(event, readInt(body));
        };
    }

    private static ByteBuf userControl(UserControl m, ByteBufAllocator alloc) {
        if (m.event() == UserControl.Event.UNKNOWN) {
            throw new IllegalArgumentException("an unknown user control event cannot be sent");
        }
        ByteBuf payload = alloc.buffer(10).writeShort(m.event().type).writeInt(m.eventData());
        if (m.event() == UserControl.Event.SET_BUFFER_LENGTH) {
            payload.writeInt(m.bufferLength());
        }
        return payload;
    }

    private static SetPeerBandwidth setPeerBandwidth(ByteBuf body) {
        long size = readInt(body) & 0xFFFFFFFFL;
        need(body, 1);
        return new SetPeerBandwidth(size, body.readUnsignedByte());
    }

    /**
     * AMF3 commands and data (RTMP spec §7.1.1, §7.1.2) start with a format byte of 0, as Flash Media Server sends
     * them, and continue in AMF0 with avmplus-object markers where AMF3 values follow.
     */
    private static ByteBuf skipAmf3Format(ByteBuf body) {
        if (body.isReadable() && body.getByte(body.readerIndex()) == 0) {
            body.skipBytes(1);
        }
        return body;
    }

    private static CommandMessage command(RawMessage raw, ByteBuf body) {
        List<Object> values = Amf0.readAll(body);
        if (values.isEmpty() || !(values.getFirst() instanceof String name)) {
            throw new RtmpProtocolException("no command name");
        }
        double transactionId = 0;
        if (values.size() > 1) {
            if (!(values.get(1) instanceof Number n)) {
                throw new RtmpProtocolException(name + " has transaction id " + values.get(1) + ", not a number");
            }
            transactionId = n.doubleValue();
        }
        Object commandObject = values.size() > 2 ? values.get(2) : null;
        List<Object> arguments = values.size() > 3 ? values.subList(3, values.size()) : List.of();
        return new CommandMessage(raw.streamId(), raw.timestamp(), name, transactionId, commandObject, arguments);
    }

    private static Object[] commandValues(CommandMessage m) {
        Object[] values = new Object[3 + m.arguments().size()];
        values[0] = m.name();
        values[1] = m.transactionId();
        values[2] = m.commandObject();
        for (int i = 0; i < m.arguments().size(); i++) {
            values[3 + i] = m.arguments().get(i);
        }
        return values;
    }

    /**
     * RTMP spec §7.1.6: FLV-tag-like sub-messages, each followed by a back pointer. The first sub-message takes the
     * aggregate's timestamp and the others keep their offset from it.
     */
    private static List<RtmpMessage> aggregate(RawMessage raw, ByteBuf body) {
        List<RtmpMessage> messages = new ArrayList<>();
        try {
            int firstTimestamp = 0;
            while (body.isReadable()) {
                need(body, AGGREGATE_TAG_HEADER);
                int typeId = body.readUnsignedByte();
                int size = body.readUnsignedMedium();
                int subTimestamp = body.readUnsignedMedium() | body.readUnsignedByte() << 24;
                body.skipBytes(3);
                need(body, size + AGGREGATE_BACK_POINTER);
                if (messages.isEmpty()) {
                    firstTimestamp = subTimestamp;
                }
                int timestamp = raw.timestamp() + (subTimestamp - firstTimestamp);
                switch (typeId) {
                    case MediaMessage.AUDIO, MediaMessage.VIDEO ->
                        messages.add(new MediaMessage(raw.streamId(), timestamp, typeId, body.readRetainedSlice(size)));
                    case DATA_AMF0 -> messages.add(
                        new DataMessage(raw.streamId(), timestamp, Amf0.readAll(body.readSlice(size))));
                    default -> {
                        LOG.debug("Dropped a sub-message of unknown type {} from {}", typeId, raw);
                        body.skipBytes(size);
                    }
                }
                body.skipBytes(AGGREGATE_BACK_POINTER);
            }
            return messages;
        } catch (RuntimeException e) {
            messages.forEach(ReferenceCountUtil::release);
            throw e;
        }
    }

    private static RawMessage control(int typeId, ByteBuf payload) {
        return new RawMessage(ChunkStreams.CONTROL, 0, typeId, 0, payload);
    }

    private static ByteBuf amf0(ByteBufAllocator alloc, Object[] values) {
        ByteBuf payload = alloc.buffer();
        try {
            Amf0.writeAll(payload, values);
            return payload;
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
    }

    private static int readInt(ByteBuf body) {
        need(body, 4);
        return body.readInt();
    }

    private static void need(ByteBuf body, int bytes) {
        if (body.readableBytes() < bytes) {
            throw new RtmpProtocolException("needs " + bytes + " more bytes, " + body.readableBytes() + " left");
        }
    }

    private static String typeName(int typeId) {
        return switch (typeId) {
            case SET_CHUNK_SIZE -> "Set Chunk Size";
            case ABORT -> "Abort";
            case ACKNOWLEDGEMENT -> "Acknowledgement";
            case USER_CONTROL -> "User Control";
            case WINDOW_ACKNOWLEDGEMENT_SIZE -> "Window Acknowledgement Size";
            case SET_PEER_BANDWIDTH -> "Set Peer Bandwidth";
            case MediaMessage.AUDIO -> "audio";
            case MediaMessage.VIDEO -> "video";
            case DATA_AMF3 -> "AMF3 data";
            case COMMAND_AMF3 -> "AMF3 command";
            case DATA_AMF0 -> "AMF0 data";
            case COMMAND_AMF0 -> "AMF0 command";
            case AGGREGATE -> "aggregate";
            default -> "type " + typeId;
        };
    }
}
