package onair.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * An audio (type 8) or video (type 9) message (RTMP spec §7.1.4, §7.1.5) whose payload is an FLV tag body. It owns
 * one reference to the payload: reference counting delegates to it, so release it once it has been handled.
 */
public record MediaMessage(int streamId, int timestamp, int typeId, ByteBuf payload)
    implements RtmpMessage, ReferenceCounted {

    public static final int AUDIO = 8;
    public static final int VIDEO = 9;

    public MediaMessage {
        if (typeId != AUDIO && typeId != VIDEO) {
            throw new IllegalArgumentException("media message type " + typeId + " is neither 8 (audio) nor 9 (video)");
        }
    }

    public boolean isAudio() {
        return typeId == AUDIO;
    }

    public boolean isVideo() {
        return typeId == VIDEO;
    }

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public MediaMessage retain() {
        payload.retain();
        return this;
    }

    @Override
    public MediaMessage retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public MediaMessage touch() {
        payload.touch();
        return this;
    }

    @Override
    public MediaMessage touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }

    @Override
    public String toString() {
        return (isAudio() ? "Audio" : "Video") + "(msid=" + streamId + ", ts=" + Integer.toUnsignedString(timestamp)
            + ", " + payload.readableBytes() + "B)";
    }
}
