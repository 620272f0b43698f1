package onair.rtmp.message;

/**
 * Acknowledgement, type 3 (RTMP spec §5.4.3): the number of bytes received so far, as an unsigned 32-bit count
 * that wraps.
 */
public record Acknowledgement(long sequenceNumber) implements ProtocolControlMessage {

    public Acknowledgement {
        sequenceNumber &= 0xFFFFFFFFL;
    }
}
