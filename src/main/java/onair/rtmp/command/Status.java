package onair.rtmp.command;

/**
 * The NetConnection and NetStream status codes Onair sends in {@code onStatus} and {@code _result}/{@code _error}
 * info objects (RTMP spec §7.2.1.1), with nginx-rtmp's descriptions so client-side scripts that match on them keep
 * working.
 */
public enum Status {
    CONNECT_SUCCESS("status", "NetConnection.Connect.Success", "Connection succeeded."),
    CONNECT_REJECTED("error", "NetConnection.Connect.Rejected", "Connection rejected."),
    /** E-RTMP v2: the server asks the client to reconnect, to the same server or to another {@code tcUrl}. */
    CONNECT_RECONNECT_REQUEST("status", "NetConnection.Connect.ReconnectRequest",
        "The server is requesting the client to reconnect."),
    PUBLISH_START("status", "NetStream.Publish.Start", "Start publishing"),
    PUBLISH_BAD_NAME("error", "NetStream.Publish.BadName", "Already publishing"),
    UNPUBLISH_SUCCESS("status", "NetStream.Unpublish.Success", "Stop publishing"),
    PLAY_RESET("status", "NetStream.Play.Reset", "Playing and resetting"),
    PLAY_START("status", "NetStream.Play.Start", "Start live"),
    PLAY_STOP("status", "NetStream.Play.Stop", "Stop live"),
    PLAY_PUBLISH_NOTIFY("status", "NetStream.Play.PublishNotify", "Start publishing"),
    PLAY_UNPUBLISH_NOTIFY("status", "NetStream.Play.UnpublishNotify", "Stop publishing"),
    PLAY_STREAM_NOT_FOUND("error", "NetStream.Play.StreamNotFound", "No such stream"),
    PLAY_FAILED("error", "NetStream.Play.Failed", "Play failed"),
    PAUSE_NOTIFY("status", "NetStream.Pause.Notify", "Paused live"),
    UNPAUSE_NOTIFY("status", "NetStream.Unpause.Notify", "Unpaused live"),
    VOD_PLAY_START("status", "NetStream.Play.Start", "Start video on demand"),
    VOD_PLAY_COMPLETE("status", "NetStream.Play.Stop", "Stopped"),
    VOD_PLAY_STOP("status", "NetStream.Play.Stop", "Stop video on demand"),
    VOD_NOT_FOUND("error", "NetStream.Play.StreamNotFound", "Video on demand stream not found"),
    VOD_SEEK_NOTIFY("status", "NetStream.Seek.Notify", "Seeking"),
    VOD_PAUSE_NOTIFY("status", "NetStream.Pause.Notify", "Paused video on demand"),
    VOD_UNPAUSE_NOTIFY("status", "NetStream.Unpause.Notify", "Unpaused video on demand");

    public final String level;
    public final String code;
    public final String description;

    Status(String level, String code, String description) {
        this.level = level;
        this.code = code;
        this.description = description;
    }
}
