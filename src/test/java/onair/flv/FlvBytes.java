package onair.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import onair.amf.Amf0;
import onair.amf.EcmaArray;

import java.util.Map;

/**
 * A hand-built FLV file for tests: the header, then tags appended in order (onMetaData, AVC and AAC sequence headers,
 * frames whose bodies are a pattern of their timestamp and size).
 */
public final class FlvBytes {

    private final ByteBuf out = Unpooled.buffer();

    public FlvBytes() {
        Flv.writeHeader(out, true, true);
    }

    /** Where the next tag starts. */
    public long position() {
        return out.writerIndex();
    }

    public FlvBytes metadata(Map<String, Object> fields) {
        ByteBuf body = Unpooled.buffer();
        Amf0.writeAll(body, "onMetaData", new EcmaArray(fields));
        return tag(18, 0, ByteBufUtil.getBytes(body));
    }

    public FlvBytes avcHeader() {
        return tag(9, 0, new byte[] {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1e, (byte) 0xff});
    }

    public FlvBytes aacHeader() {
        return tag(8, 0, new byte[] {(byte) 0xaf, 0, 0x12, 0x10});
    }

    /** An AVC NALU tag: a keyframe (frame type 1) or an inter frame (2), with {@code size} bytes of coded data. */
    public FlvBytes video(int timestamp, boolean keyframe, int size) {
        byte[] body = pattern(timestamp, 5 + size);
        System.arraycopy(new byte[] {(byte) (keyframe ? 0x17 : 0x27), 1, 0, 0, 0}, 0, body, 0, 5);
        return tag(9, timestamp, body);
    }

    /** An AVC end of sequence, which ffmpeg's FLV muxer writes last with frame type 1. */
    public FlvBytes avcEndOfSequence(int timestamp) {
        return tag(9, timestamp, new byte[] {0x17, 2, 0, 0, 0});
    }

    /** An AAC raw frame with {@code size} bytes of coded data. */
    public FlvBytes audio(int timestamp, int size) {
        byte[] body = pattern(timestamp, 2 + size);
        body[0] = (byte) 0xaf;
        body[1] = 1;
        return tag(8, timestamp, body);
    }

    public FlvBytes tag(int type, int timestamp, byte[] body) {
        Flv.writeTag(out, type, timestamp, Unpooled.wrappedBuffer(body));
        return this;
    }

    public byte[] bytes() {
        return ByteBufUtil.getBytes(out);
    }

    private static byte[] pattern(int timestamp, int size) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) (timestamp * 31 + size * 7 + i);
        }
        return body;
    }
}
