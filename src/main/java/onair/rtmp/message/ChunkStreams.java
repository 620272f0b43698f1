package onair.rtmp.message;

/**
 * The chunk streams Onair writes each kind of message on, nginx-rtmp's {@code NGX_RTMP_CSID_*}: 2 for protocol
 * control (RTMP spec §5.4, required), 3 for commands, 5 for data, 6 for audio and 7 for video.
 */
public final class ChunkStreams {

    public static final int CONTROL = 2;
    public static final int COMMAND = 3;
    public static final int DATA = 5;
    public static final int AUDIO = 6;
    public static final int VIDEO = 7;

    private ChunkStreams() {
    }
}
