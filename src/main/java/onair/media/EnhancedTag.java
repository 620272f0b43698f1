package onair.media;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout of an Enhanced RTMP v2 audio or video tag body (E-RTMP v2, "ExVideoTagHeader"/"ExAudioTagHeader" and
 * their bodies): the ModEx prefixes with the nanosecond timestamp offset they carry, the real packet type, and the
 * tracks: one for a plain enhanced tag, or those of a multitrack packet (VideoPacketType 6, AudioPacketType 5) of one
 * track, many tracks of one codec, or many tracks each with its own codec.
 *
 * @param packetType            the VideoPacketType or AudioPacketType that the tracks' bodies follow (never ModEx
 *                              or Multitrack)
 * @param layout                how the tracks are laid out
 * @param timestampOffsetNanos  the ModEx TimestampOffsetNano (0 to 999,999 ns added to the tag's timestamp), 0 when
 *                              absent
 * @param tracks                the tracks in tag order, at least one
 */
public record EnhancedTag(int packetType, Layout layout, int timestampOffsetNanos, List<Track> tracks) {

    /** VideoPacketType.Multitrack and AudioPacketType.Multitrack. */
    static final int VIDEO_MULTITRACK = 6;
    static final int AUDIO_MULTITRACK = 5;
    static final int MOD_EX = 7;
    private static final int TIMESTAMP_OFFSET_NANO = 0;
    /** Bounds the work a hostile tag can ask for; a track id is one byte. */
    static final int MAX_TRACKS = 256;
    static final int MAX_MOD_EX = 8;

    /** AvMultitrackType, or {@link #SINGLE} for a tag that is not a multitrack packet. */
    public enum Layout { SINGLE, ONE_TRACK, MANY_TRACKS, MANY_TRACKS_MANY_CODECS }

    /**
     * One track of the tag.
     *
     * @param id     the track id (0 for a tag that is not a multitrack packet)
     * @param codec  its codec, from its FourCC
     * @param offset where its packet data begins, from the body's reader index (after the FourCC, id and size)
     * @param length how many bytes its packet data has
     */
    public record Track(int id, Codec codec, int offset, int length) {}

    public EnhancedTag {
        tracks = List.copyOf(tracks);
    }

    /**
     * The layout of {@code body}, an audio tag with SoundFormat 9 or a video tag with the IsExHeader bit; null for a
     * legacy tag or an empty body.
     *
     * @throws MediaFormatException when the body ends early or its sizes disagree
     */
    public static EnhancedTag read(MediaFrame.Kind kind, ByteBuf body) {
        int start = body.readerIndex();
        int end = body.writerIndex();
        if (start == end || kind == MediaFrame.Kind.DATA) {
            return null;
        }
        int b0 = body.getUnsignedByte(start);
        boolean video = kind == MediaFrame.Kind.VIDEO;
        if (video ? (b0 & 0x80) == 0 : b0 >> 4 != 9) {
            return null;
        }
        int packetType = b0 & 0x0f;
        int at = start + 1;
        int nanos = 0;
        for (int modEx = 0; packetType == MOD_EX; modEx++) {
            if (modEx == MAX_MOD_EX) {
                throw new MediaFormatException("more than " + MAX_MOD_EX + " ModEx prefixes");
            }
            int size = need(body, at, 1, "ModEx size").getUnsignedByte(at) + 1;
            at++;
            if (size == 256) {
                size = need(body, at, 2, "ModEx size").getUnsignedShort(at) + 1;
                at += 2;
            }
            need(body, at, size + 1, "ModEx data");
            int type = body.getUnsignedByte(at + size);
            if (type >> 4 == TIMESTAMP_OFFSET_NANO && size >= 3) {
                nanos = body.getUnsignedMedium(at);
            }
            packetType = type & 0x0f;
            at += size + 1;
        }
        if (packetType != (video ? VIDEO_MULTITRACK : AUDIO_MULTITRACK)) {
            Codec codec = Codec.ofFourCc(kind, need(body, at, 4, "FourCC"), at);
            return new EnhancedTag(packetType, Layout.SINGLE, nanos,
                List.of(new Track(0, codec, at + 4 - start, end - at - 4)));
        }
        int b1 = need(body, at, 1, "multitrack type").getUnsignedByte(at);
        at++;
        Layout layout = switch (b1 >> 4) {
            case 0 -> Layout.ONE_TRACK;
            case 1 -> Layout.MANY_TRACKS;
            case 2 -> Layout.MANY_TRACKS_MANY_CODECS;
            default -> throw new MediaFormatException("reserved AvMultitrackType " + (b1 >> 4));
        };
        packetType = b1 & 0x0f;
        if (packetType == MOD_EX || packetType == (video ? VIDEO_MULTITRACK : AUDIO_MULTITRACK)) {
            throw new MediaFormatException("packet type " + packetType + " inside a multitrack packet");
        }
        Codec shared = null;
        if (layout != Layout.MANY_TRACKS_MANY_CODECS) {
            shared = Codec.ofFourCc(kind, need(body, at, 4, "FourCC"), at);
            at += 4;
        }
        List<Track> tracks = new ArrayList<>();
        do {
            if (tracks.size() == MAX_TRACKS) {
                throw new MediaFormatException("more than " + MAX_TRACKS + " tracks");
            }
            Codec codec = shared;
            if (codec == null) {
                codec = Codec.ofFourCc(kind, need(body, at, 4, "track FourCC"), at);
                at += 4;
            }
            int id = need(body, at, 1, "track id").getUnsignedByte(at);
            at++;
            int length = end - at;
            if (layout != Layout.ONE_TRACK) {
                length = need(body, at, 3, "track size").getUnsignedMedium(at);
                at += 3;
                need(body, at, length, "track " + id);
            }
            tracks.add(new Track(id, codec, at - start, length));
            at += length;
        } while (layout != Layout.ONE_TRACK && at < end);
        return new EnhancedTag(packetType, layout, nanos, tracks);
    }

    private static ByteBuf need(ByteBuf body, int at, int bytes, String what) {
        if (body.writerIndex() - at < bytes) {
            throw new MediaFormatException("the tag ends inside its " + what);
        }
        return body;
    }
}
