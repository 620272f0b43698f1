package onair.media;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One audio, video or script-data message of a live stream: its FLV tag body, stored once and shared by reference
 * count with every subscriber. The flags are read from the tag header (FLV spec §E.4.2, §E.4.3; Enhanced RTMP
 * ExVideoTagHeader/ExAudioTagHeader), so H.264, HEVC, AV1, VP9, AAC, Opus and FLAC are told apart alike. A stream's
 * primary track is track 0; the other tracks of an Enhanced RTMP v2 multitrack publish ride along in
 * multitrack packets ({@link #track()}), and only track 0's keyframes start a GOP.
 */
public final class MediaFrame extends AbstractReferenceCounted {

    /** The RTMP message type a frame travels as (RTMP spec §7.1.4, §7.1.5, §7.1.2). */
    public enum Kind {
        AUDIO(8), VIDEO(9), DATA(18);

        public final int typeId;

        Kind(int typeId) {
            this.typeId = typeId;
        }
    }

    private final Kind kind;
    private final int timestamp;
    private final ByteBuf payload;
    private final TagHeader header;
    private final List<Object> encodings = new ArrayList<>(2);

    private MediaFrame(Kind kind, int timestamp, ByteBuf payload, TagHeader header) {
        this.kind = kind;
        this.timestamp = timestamp;
        this.payload = payload;
        this.header = header;
    }

    /** Takes ownership of {@code payload}. */
    public static MediaFrame of(Kind kind, int timestamp, ByteBuf payload) {
        return new MediaFrame(kind, timestamp, payload, TagHeader.read(kind, payload));
    }

    /** A frame with another timestamp that shares this frame's payload (retained). */
    public MediaFrame withTimestamp(int newTimestamp) {
        return new MediaFrame(kind, newTimestamp, payload.retainedDuplicate(), header);
    }

    public Kind kind() {
        return kind;
    }

    /** Milliseconds, 32-bit wrapping as in RTMP. */
    public int timestamp() {
        return timestamp;
    }

    /** The shared FLV tag body; callers must not move its indexes: use {@code duplicate()} or {@code slice()}. */
    public ByteBuf payload() {
        return payload;
    }

    public TagHeader header() {
        return header;
    }

    public boolean isVideo() {
        return kind == Kind.VIDEO;
    }

    public boolean isAudio() {
        return kind == Kind.AUDIO;
    }

    public boolean isData() {
        return kind == Kind.DATA;
    }

    /** A video frame of track 0 a decoder can start from (FLV frame type 1), not counting sequence headers. */
    public boolean isKeyframe() {
        return kind == Kind.VIDEO && header.keyframe() && !header.sequenceHeader() && header.track() == 0;
    }

    /**
     * The Enhanced RTMP v2 track this frame belongs to: 0 for every frame but a multitrack packet of another track
     * ({@link TagHeader#MANY_TRACKS} for one of several tracks).
     */
    public int track() {
        return header.track();
    }

    /** A decoder configuration record (AVC/HEVC/AV1 sequence start, AAC AudioSpecificConfig, …). */
    public boolean isSequenceHeader() {
        return header.sequenceHeader();
    }

    /** Frames a player may lose without breaking decoding until the next keyframe. */
    public boolean isDroppable() {
        return kind != Kind.DATA && !header.sequenceHeader() && !header.keyframe() && !header.signal();
    }

    public int size() {
        return payload.readableBytes();
    }

    /**
     * This frame in an output encoding (for example RTMP chunks for one chunk size), made once by {@code encoder} on
     * first use and shared by every caller with the same key. The encoding lives as long as the frame: a caller that
     * keeps or writes it beyond its own reference to the frame takes its own reference (e.g. a retained duplicate).
     */
    @SuppressWarnings("unchecked")
    public <T extends ReferenceCounted> T encoded(Object key, Function<MediaFrame, T> encoder) {
        synchronized (encodings) {
            for (int i = 0; i < encodings.size(); i += 2) {
                if (encodings.get(i).equals(key)) {
                    return (T) encodings.get(i + 1);
                }
            }
            T made = encoder.apply(this);
            encodings.add(key);
            encodings.add(made);
            return made;
        }
    }

    @Override
    protected void deallocate() {
        payload.release();
        synchronized (encodings) {
            for (int i = 1; i < encodings.size(); i += 2) {
                ((ReferenceCounted) encodings.get(i)).release();
            }
            encodings.clear();
        }
    }

    @Override
    public MediaFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public MediaFrame touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return kind + "@" + Integer.toUnsignedString(timestamp) + " " + header + " " + size() + "B";
    }
}
