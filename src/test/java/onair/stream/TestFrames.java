package onair.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import onair.media.MediaFrame;
import onair.media.MediaFrame.Kind;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Makes labelled test frames and checks that all of them were released. A label's first letter gives the frame:
 * M metadata, V AVC sequence header, A AAC sequence header, K AVC keyframe, P AVC inter frame, a AAC raw frame;
 * and as Enhanced RTMP v2 multitrack packets of track 1, the way ffmpeg 8 sends a second rendition: W AVC sequence
 * header, L AVC keyframe, Q AVC inter frame, b AAC raw frame.
 */
final class TestFrames {

    private final List<MediaFrame> made = new ArrayList<>();

    MediaFrame frame(String label, int timestamp) {
        byte[] header = switch (label.charAt(0)) {
            case 'M' -> new byte[0];
            case 'V' -> new byte[] {0x17, 0x00, 0, 0, 0};
            case 'A' -> new byte[] {(byte) 0xAF, 0x00};
            case 'K' -> new byte[] {0x17, 0x01, 0, 0, 0};
            case 'P' -> new byte[] {0x27, 0x01, 0, 0, 0};
            case 'a' -> new byte[] {(byte) 0xAF, 0x01};
            case 'W' -> new byte[] {(byte) 0x96, 0x00, 'a', 'v', 'c', '1', 1};
            case 'L' -> new byte[] {(byte) 0x96, 0x01, 'a', 'v', 'c', '1', 1, 0, 0, 0};
            case 'Q' -> new byte[] {(byte) 0xA6, 0x01, 'a', 'v', 'c', '1', 1, 0, 0, 0};
            case 'b' -> new byte[] {(byte) 0x95, 0x01, 'm', 'p', '4', 'a', 1};
            default -> throw new IllegalArgumentException(label);
        };
        Kind kind = switch (label.charAt(0)) {
            case 'M' -> Kind.DATA;
            case 'A', 'a', 'b' -> Kind.AUDIO;
            default -> Kind.VIDEO;
        };
        byte[] name = label.getBytes(StandardCharsets.US_ASCII);
        ByteBuf body = Unpooled.buffer().writeBytes(header).writeBytes(name).writeByte(name.length);
        MediaFrame frame = MediaFrame.of(kind, timestamp, body);
        made.add(frame);
        return frame;
    }

    /** The label a frame was made with, read back from its payload. */
    static String label(MediaFrame frame) {
        ByteBuf body = frame.payload();
        int length = body.getByte(body.writerIndex() - 1);
        return body.toString(body.writerIndex() - 1 - length, length, StandardCharsets.US_ASCII);
    }

    void assertAllReleased() {
        assertThat(made).allSatisfy(frame -> {
            assertThat(frame.refCnt()).as("refCnt of %s", frame).isZero();
            assertThat(frame.payload().refCnt()).as("payload refCnt of %s", frame).isZero();
        });
    }
}
