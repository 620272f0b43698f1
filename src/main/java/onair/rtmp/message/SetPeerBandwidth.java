package onair.rtmp.message;

/**
 * Set Peer Bandwidth, type 6 (RTMP spec §5.4.5): limits the peer's output window. With a dynamic limit the peer
 * treats it as hard only if the previous limit was hard, and otherwise ignores it.
 */
public record SetPeerBandwidth(long size, int limitType) implements ProtocolControlMessage {

    public static final int HARD = 0;
    public static final int SOFT = 1;
    public static final int DYNAMIC = 2;

    public SetPeerBandwidth {
        if (size < 0 || size > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("size " + size + " does not fit 32 unsigned bits");
        }
        if (limitType < HARD || limitType > DYNAMIC) {
            throw new IllegalArgumentException("limit type " + limitType + " is not 0 (hard), 1 (soft) or 2 (dynamic)");
        }
    }
}
