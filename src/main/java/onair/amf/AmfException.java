package onair.amf;

import io.netty.handler.codec.CorruptedFrameException;

/** Bytes that are not a valid AMF0 or AMF3 value: truncated, an unknown marker, or beyond a size or depth bound. */
public final class AmfException extends CorruptedFrameException {

    public AmfException(String reason) {
        super(reason);
    }
}
