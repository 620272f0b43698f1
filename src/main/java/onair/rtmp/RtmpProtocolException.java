package onair.rtmp;

import io.netty.handler.codec.CorruptedFrameException;

/** A peer broke the RTMP protocol; the connection that raised it logs the reason once and is closed. */
public final class RtmpProtocolException extends CorruptedFrameException {

    public RtmpProtocolException(String reason) {
        super(reason);
    }

    public RtmpProtocolException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
