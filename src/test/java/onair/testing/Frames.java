package onair.testing;

import io.netty.buffer.Unpooled;
import onair.media.MediaFrame;

import java.util.ArrayList;
import java.util.List;

/** FLV tag bodies for synthetic H.264/AAC streams whose frames carry a sequence number a player can check. */
public final class Frames {

    private Frames() {
    }

    /**
     * Video track {@code track} of an Enhanced RTMP v2 multitrack publish as ffmpeg 8 sends it (one-track packets):
     * H.264 at 25 frames/s from {@code from} to {@code to} ms with a keyframe every {@code keyEvery} ms of it.
     */
    public static List<MediaFrame> trackVideo(int track, int from, int to, int keyEvery) {
        List<MediaFrame> frames = new ArrayList<>();
        byte[] config = avcSequenceHeader();
        byte[] header = new byte[7 + config.length - 5];
        System.arraycopy(new byte[] {(byte) 0x96, 0x00, 'a', 'v', 'c', '1', (byte) track}, 0, header, 0, 7);
        System.arraycopy(config, 5, header, 7, config.length - 5);
        frames.add(MediaFrame.of(MediaFrame.Kind.VIDEO, from, Unpooled.wrappedBuffer(header)));
        for (int t = from; t < to; t += 40) {
            boolean key = (t - from) % keyEvery == 0;
            frames.add(MediaFrame.of(MediaFrame.Kind.VIDEO, t, Unpooled.wrappedBuffer(new byte[] {
                (byte) (key ? 0x96 : 0xa6), 0x01, 'a', 'v', 'c', '1', (byte) track, 0, 0, 0, 0, 0, 0, 5,
                (byte) (key ? 0x65 : 0x41), (byte) 0x88, 0, 0, (byte) t})));
        }
        return frames;
    }

    public static byte[] avcSequenceHeader() {
        return new byte[] {0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x1f, (byte) 0xff, (byte) 0xe1, 0, 4, 0x67, 0x64, 0, 0x1f,
            0x01, 0, 4, 0x68, (byte) 0xee, 0x3c, (byte) 0x80};
    }

    public static byte[] aacSequenceHeader() {
        return new byte[] {(byte) 0xaf, 0x00, 0x12, 0x10};
    }

    /** A video frame (keyframe or inter frame) whose last four bytes are {@code sequence}, padded to {@code size}. */
    public static byte[] video(boolean keyframe, int sequence, int size) {
        byte[] body = new byte[Math.max(size, 9)];
        body[0] = (byte) (keyframe ? 0x17 : 0x27);
        body[1] = 0x01;
        writeSequence(body, sequence);
        return body;
    }

    public static byte[] audio(int sequence, int size) {
        byte[] body = new byte[Math.max(size, 6)];
        body[0] = (byte) 0xaf;
        body[1] = 0x01;
        writeSequence(body, sequence);
        return body;
    }

    /** The sequence number written by {@link #video} or {@link #audio}. */
    public static int sequence(io.netty.buffer.ByteBuf body) {
        return body.getInt(body.writerIndex() - 4);
    }

    private static void writeSequence(byte[] body, int sequence) {
        int at = body.length - 4;
        body[at] = (byte) (sequence >>> 24);
        body[at + 1] = (byte) (sequence >>> 16);
        body[at + 2] = (byte) (sequence >>> 8);
        body[at + 3] = (byte) sequence;
    }
}
