package onair.rtmp.message;

/**
 * A message that controls the connection rather than a stream (RTMP spec §5.4, §6.2): always sent on message
 * stream 0 and chunk stream 2, with timestamp 0.
 */
public sealed interface ProtocolControlMessage extends RtmpMessage
    permits SetChunkSize, Abort, Acknowledgement, WindowAcknowledgementSize, SetPeerBandwidth, UserControl {

    @Override
    default int streamId() {
        return 0;
    }

    @Override
    default int timestamp() {
        return 0;
    }
}
