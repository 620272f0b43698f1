package onair.rtmp.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import onair.amf.Amf0;
import onair.amf.EcmaArray;
import onair.media.MediaFrame;
import onair.rtmp.RtmpProtocolException;
import onair.rtmp.message.DataMessage;
import onair.rtmp.message.MediaMessage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a publisher's messages become in a live stream, for a client publishing here and for a relay pulling from
 * another server alike: audio and video messages become frames as they are; a data message loses its
 * {@code @setDataFrame} (RTMP spec §7.1.2) and is re-encoded in AMF0 for players, and {@code onMetaData} follows
 * nginx-rtmp's {@code meta} directive. A data message AMF0 cannot carry is the publisher's protocol error.
 */
public final class Ingest {

    private static final Set<String> META_ON_KEYS = Set.of("width", "height", "displayWidth", "displayHeight",
        "duration", "framerate", "fps", "videodatarate", "videocodecid", "audiodatarate", "audiocodecid",
        "audiosamplerate", "audiosamplesize", "audiochannels", "stereo", "profile", "level");

    /**
     * nginx-rtmp's {@code meta}: {@code ON} keeps only the fields that describe the stream, {@code COPY} passes the
     * publisher's onMetaData as sent, {@code OFF} drops it.
     */
    public enum Meta { ON, COPY, OFF }

    private Ingest() {
    }

    /** The frame of an audio or video message; it holds its own reference to the payload. */
    public static MediaFrame frame(MediaMessage media) {
        MediaFrame.Kind kind = media.isAudio() ? MediaFrame.Kind.AUDIO : MediaFrame.Kind.VIDEO;
        return MediaFrame.of(kind, media.timestamp(), media.payload().retain());
    }

    /**
     * Hands the frame of a data message to {@code metadata} when it is onMetaData and to {@code frames} otherwise;
     * one without a handler name, or onMetaData under {@code meta off}, yields nothing.
     *
     * @throws RtmpProtocolException when AMF0 cannot carry the message's values
     */
    public static void data(DataMessage data, Meta meta, ByteBufAllocator alloc, Consumer<MediaFrame> frames,
            Consumer<MediaFrame> metadata) {
        List<Object> values = data.values();
        if (!values.isEmpty() && "@setDataFrame".equals(values.getFirst())) {
            values = values.subList(1, values.size());
        }
        if (values.isEmpty() || !(values.getFirst() instanceof String name)) {
            return;
        }
        if (!name.equals("onMetaData")) {
            frames.accept(dataFrame(alloc, data.timestamp(), values));
        } else if (meta != Meta.OFF) {
            Object properties = values.size() > 1 ? values.get(1) : new LinkedHashMap<>();
            if (meta == Meta.ON) {
                properties = standardMetadata(properties);
            }
            metadata.accept(dataFrame(alloc, data.timestamp(), List.of(name, properties)));
        }
    }

    /** nginx-rtmp's {@code meta on}: a clean onMetaData with only the stream description fields. */
    private static Object standardMetadata(Object metadata) {
        Map<?, ?> source = switch (metadata) {
            case Map<?, ?> map -> map;
            case EcmaArray array -> array.entries();
            default -> Map.of();
        };
        Map<String, Object> clean = new LinkedHashMap<>();
        source.forEach((k, v) -> {
            if (k instanceof String key && META_ON_KEYS.contains(key)) {
                clean.put(key, v);
            }
        });
        return clean;
    }

    private static MediaFrame dataFrame(ByteBufAllocator alloc, int timestamp, List<Object> values) {
        ByteBuf body = alloc.buffer();
        try {
            Amf0.writeAll(body, values.toArray());
        } catch (IllegalArgumentException e) {
            body.release();
            throw new RtmpProtocolException("data message " + values.getFirst() + " cannot be relayed: "
                + e.getMessage());
        }
        return MediaFrame.of(MediaFrame.Kind.DATA, timestamp, body);
    }
}
