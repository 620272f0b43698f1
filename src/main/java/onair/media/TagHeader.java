package onair.media;

import io.netty.buffer.ByteBuf;

/**
 * The first bytes of an FLV audio or video tag body, decoded: legacy FLV headers (FLV spec §E.4.2.1, §E.4.3.1) and
 * Enhanced RTMP headers, where the high bit of a video tag (or sound format 9 in an audio tag) announces a FourCC;
 * the ModEx prefixes and multitrack packets of Enhanced RTMP v2 are read through {@link EnhancedTag}, and describe
 * their first track.
 *
 * @param codec           the codec, from the FLV codec id or the Enhanced RTMP FourCC
 * @param keyframe        video frame type 1 (a keyframe or a sequence start)
 * @param sequenceHeader  a decoder configuration record
 * @param disposable      video frame type 3
 * @param signal          a video tag that carries no picture, so is neither a keyframe nor a droppable frame: a video
 *                        info/command frame (frame type 5), an Enhanced RTMP metadata packet (whose frame type is to
 *                        be ignored) or an end of sequence
 * @param dataOffset      where, from the body's start, the decoder configuration record (of a sequence header) or the
 *                        coded frame begins; -1 for a tag that holds neither or is cut short. A legacy AVC/HEVC tag
 *                        has it at 5, an Enhanced RTMP CodedFrames packet at 8, CodedFramesX and SequenceStart at 5,
 *                        legacy AAC at 2, other legacy codecs at 1
 * @param compositionTime the signed composition time offset in milliseconds (FLV spec §E.4.3.1; Enhanced RTMP
 *                        CodedFrames), 0 where the layout has none
 * @param track           the track the tag belongs to: 0 for every tag but an Enhanced RTMP v2 multitrack packet,
 *                        whose only track's id it is, or {@link #MANY_TRACKS} for one that carries several tracks
 *                        or cannot be read
 */
public record TagHeader(Codec codec, boolean keyframe, boolean sequenceHeader, boolean disposable, boolean signal,
                        int dataOffset, int compositionTime, int track) {

    /** The {@link #track} of a multitrack packet that carries several tracks, or of a malformed one. */
    public static final int MANY_TRACKS = -1;

    private static final TagHeader NONE = new TagHeader(Codec.NONE, false, false, false, false, -1, 0, 0);
    private static final int COMMAND_FRAME = 5;
    private static final int METADATA_PACKET = 4;
    private static final int END_OF_SEQUENCE = 2;
    private static final int CODED_FRAMES = 1;
    private static final int CODED_FRAMES_X = 3;
    private static final int[] LEGACY_RATES = {5512, 11025, 22050, 44100};

    static TagHeader read(MediaFrame.Kind kind, ByteBuf body) {
        if (!body.isReadable()) {
            return NONE;
        }
        int i = body.readerIndex();
        int b0 = body.getUnsignedByte(i);
        return switch (kind) {
            case VIDEO -> video(body, i, b0);
            case AUDIO -> audio(body, i, b0);
            case DATA -> NONE;
        };
    }

    private static TagHeader video(ByteBuf body, int i, int b0) {
        int frameType = (b0 >> 4) & 0x07;
        int length = body.readableBytes();
        if ((b0 & 0x80) != 0) {
            int packetType = b0 & 0x0f;
            if (packetType == EnhancedTag.VIDEO_MULTITRACK || packetType == EnhancedTag.MOD_EX) {
                return enhanced(MediaFrame.Kind.VIDEO, body, frameType);
            }
            Codec codec = Codec.ofFourCc(MediaFrame.Kind.VIDEO, body, i + 1);
            boolean signal = frameType == COMMAND_FRAME || packetType == METADATA_PACKET
                || packetType == END_OF_SEQUENCE;
            boolean config = !signal && codec.present() && (packetType == 0 || packetType == 5);
            int dataOffset = -1;
            int compositionTime = 0;
            if (!signal && packetType == CODED_FRAMES && length >= 8) {
                compositionTime = body.getMedium(i + 5);
                dataOffset = 8;
            } else if (!signal && (config || packetType == CODED_FRAMES_X) && length >= 5) {
                dataOffset = 5;
            }
            return new TagHeader(codec, !signal && frameType == 1, config, !signal && frameType == 3, signal,
                dataOffset, compositionTime, 0);
        }
        int codecId = b0 & 0x0f;
        boolean hasPacketType = codecId == 7 || codecId == 12 || codecId == 13;
        int packetType = hasPacketType && length > 1 ? body.getUnsignedByte(i + 1) : -1;
        boolean signal = frameType == COMMAND_FRAME || packetType == END_OF_SEQUENCE;
        boolean config = !signal && packetType == 0;
        int dataOffset = -1;
        int compositionTime = 0;
        if (!hasPacketType) {
            dataOffset = signal ? -1 : 1;
        } else if ((config || !signal && packetType == 1) && length >= 5) {
            compositionTime = config ? 0 : body.getMedium(i + 2);
            dataOffset = 5;
        }
        return new TagHeader(Codec.ofFlvId(MediaFrame.Kind.VIDEO, codecId), !signal && frameType == 1, config,
            !signal && frameType == 3, signal, dataOffset, compositionTime, 0);
    }

    /**
     * A ModEx or multitrack tag, by its real packet type and its first track; a malformed one is a signal of
     * {@link #MANY_TRACKS}, so that it is never taken for a picture of track 0.
     */
    private static TagHeader enhanced(MediaFrame.Kind kind, ByteBuf body, int frameType) {
        EnhancedTag tag;
        try {
            tag = EnhancedTag.read(kind, body);
        } catch (MediaFormatException e) {
            return new TagHeader(Codec.NONE, false, false, false, true, -1, 0, MANY_TRACKS);
        }
        EnhancedTag.Track first = tag.tracks().getFirst();
        int track = tag.tracks().size() > 1 ? MANY_TRACKS : first.id();
        int packetType = tag.packetType();
        if (kind == MediaFrame.Kind.AUDIO) {
            boolean config = packetType == 0 || packetType == 4;
            int dataOffset = packetType == 0 || packetType == 1 ? first.offset() : -1;
            return new TagHeader(first.codec(), false, config, false, false, dataOffset, 0, track);
        }
        boolean signal = frameType == COMMAND_FRAME || packetType == METADATA_PACKET || packetType == END_OF_SEQUENCE;
        boolean config = !signal && (packetType == 0 || packetType == 5);
        int dataOffset = -1;
        int compositionTime = 0;
        if (!signal && packetType == CODED_FRAMES && first.length() >= 3) {
            compositionTime = body.getMedium(body.readerIndex() + first.offset());
            dataOffset = first.offset() + 3;
        } else if (!signal && (config || packetType == CODED_FRAMES_X)) {
            dataOffset = first.offset();
        }
        return new TagHeader(first.codec(), !signal && frameType == 1, config, !signal && frameType == 3, signal,
            dataOffset, compositionTime, track);
    }

    private static TagHeader audio(ByteBuf body, int i, int b0) {
        int soundFormat = b0 >> 4;
        int length = body.readableBytes();
        if (soundFormat == 9) {
            int packetType = b0 & 0x0f;
            if (packetType == EnhancedTag.AUDIO_MULTITRACK || packetType == EnhancedTag.MOD_EX) {
                return enhanced(MediaFrame.Kind.AUDIO, body, 0);
            }
            boolean config = packetType == 0 || packetType == 4;
            int dataOffset = (packetType == 0 || packetType == 1) && length >= 5 ? 5 : -1;
            return new TagHeader(Codec.ofFourCc(MediaFrame.Kind.AUDIO, body, i + 1), false, config, false, false,
                dataOffset, 0, 0);
        }
        boolean aac = soundFormat == 10;
        boolean config = aac && length > 1 && body.getUnsignedByte(i + 1) == 0;
        int dataOffset = aac ? (length >= 2 ? 2 : -1) : 1;
        return new TagHeader(Codec.ofFlvId(MediaFrame.Kind.AUDIO, soundFormat), false, config, false, false,
            dataOffset, 0, 0);
    }

    /**
     * The sound rate in Hz that a legacy audio tag's header announces (FLV spec §E.4.2.1: 5.5, 11, 22 or 44 kHz), or
     * 0 for an Enhanced RTMP or empty tag. For AAC the header always says 44 kHz; the AudioSpecificConfig tells.
     */
    public static int legacySoundRate(ByteBuf body) {
        if (!body.isReadable() || body.getUnsignedByte(body.readerIndex()) >> 4 == 9) {
            return 0;
        }
        return LEGACY_RATES[(body.getUnsignedByte(body.readerIndex()) >> 2) & 3];
    }

    /** The channels, 1 or 2, a legacy audio tag's sound type announces (FLV spec §E.4.2.1), or 0 as for the rate. */
    public static int legacyChannels(ByteBuf body) {
        if (!body.isReadable() || body.getUnsignedByte(body.readerIndex()) >> 4 == 9) {
            return 0;
        }
        return (body.getUnsignedByte(body.readerIndex()) & 1) + 1;
    }
}
