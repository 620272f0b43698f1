package onair.rtmp.message;

/** Window Acknowledgement Size, type 5 (RTMP spec §5.4.4): how many bytes the peer may receive between acknowledgements. */
public record WindowAcknowledgementSize(long size) implements ProtocolControlMessage {

    public WindowAcknowledgementSize {
        if (size < 0 || size > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("size " + size + " does not fit 32 unsigned bits");
        }
    }
}
