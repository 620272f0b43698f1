package onair.it;

/**
 * One demuxed packet as ffprobe reports it; timestamps are in the stream time base (milliseconds for FLV), and
 * {@link #NO_TIMESTAMP} stands for ffprobe's {@code N/A}.
 */
public record Packet(int streamIndex, String codecType, long pts, long dts, long duration, int size, String flags,
                     String dataHash) {

    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    public boolean keyframe() {
        return flags.indexOf('K') >= 0;
    }

    public boolean video() {
        return "video".equals(codecType);
    }

    public boolean audio() {
        return "audio".equals(codecType);
    }

    @Override
    public String toString() {
        return "%s#%d pts=%s dts=%s size=%d flags=%s %s".formatted(codecType, streamIndex, ts(pts), ts(dts), size,
                flags, dataHash);
    }

    private static String ts(long t) {
        return t == NO_TIMESTAMP ? "N/A" : Long.toString(t);
    }
}
