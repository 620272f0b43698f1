package onair.rtmp.handshake;

/** User event fired by both handshake handlers once the RTMP handshake (RTMP spec §5.2) is over and chunks may flow. */
public enum HandshakeComplete {
    INSTANCE
}
