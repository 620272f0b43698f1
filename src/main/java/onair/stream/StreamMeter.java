package onair.stream;

import io.netty.buffer.ByteBuf;
import onair.amf.Amf0;
import onair.amf.EcmaArray;
import onair.media.Codec;
import onair.media.MediaFrame;

import java.util.List;
import java.util.Map;

/**
 * The statistics of one live stream, updated in its fan-out under the stream's lock: a few adds per frame, and a
 * parse of the (rare) sequence headers and {@code onMetaData}. Readers take a {@link StreamStats} snapshot.
 */
final class StreamMeter {

    private static final int[] AAC_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
        11025, 8000, 7350};
    private static final int[] FLV_RATES = {5512, 11025, 22050, 44100};

    private final long createdNanos = System.nanoTime();
    private final Bandwidth in = new Bandwidth();
    private final Bandwidth out = new Bandwidth();
    private final Bandwidth audioIn = new Bandwidth();
    private final Bandwidth videoIn = new Bandwidth();
    private final Bandwidth videoFrames = new Bandwidth();
    private volatile int lastVideo;
    private volatile int lastAudio;
    private volatile boolean sawVideo;
    private volatile boolean sawAudio;
    private int lastKeyframe;
    private boolean sawKeyframe;
    private volatile int keyframeIntervalMillis;
    private volatile Codec videoCodec = Codec.NONE;
    private volatile int avcProfile;
    private volatile int avcCompat;
    private volatile int avcLevel;
    private volatile int width;
    private volatile int height;
    private volatile double frameRate;
    private volatile Codec audioCodec = Codec.NONE;
    private volatile int aacObjectType;
    private volatile boolean aacSbr;
    private volatile boolean aacPs;
    private volatile int channels;
    private volatile int sampleRate;

    /** Counts a frame the publisher sent (with its restamped {@code timestamp}) and handed to {@code subscribers}. */
    void frame(MediaFrame frame, int timestamp, int subscribers, boolean metadata) {
        long now = System.nanoTime();
        int size = frame.size();
        in.add(size, now);
        out.add((long) size * subscribers, now);
        switch (frame.kind()) {
            case VIDEO -> video(frame, timestamp, size, now);
            case AUDIO -> audio(frame, timestamp, size, now);
            case DATA -> {
                if (metadata) {
                    metadata(frame.payload());
                }
            }
        }
    }

    private void video(MediaFrame frame, int timestamp, int size, long now) {
        videoIn.add(size, now);
        if (frame.header().signal()) {
            return;
        }
        videoCodec = frame.header().codec();
        if (frame.isSequenceHeader()) {
            avcConfiguration(frame.payload(), frame.header().dataOffset());
            return;
        }
        videoFrames.add(1, now);
        lastVideo = timestamp;
        sawVideo = true;
        if (frame.isKeyframe()) {
            if (sawKeyframe) {
                keyframeIntervalMillis = timestamp - lastKeyframe;
            }
            lastKeyframe = timestamp;
            sawKeyframe = true;
        }
    }

    private void audio(MediaFrame frame, int timestamp, int size, long now) {
        audioIn.add(size, now);
        audioCodec = frame.header().codec();
        ByteBuf body = frame.payload();
        if (frame.isSequenceHeader()) {
            int at = body.readerIndex() + frame.header().dataOffset();
            if (audioCodec == Codec.AAC && frame.header().dataOffset() >= 0 && body.writerIndex() >= at + 2) {
                aacConfiguration(body, at);
            }
            return;
        }
        int b0 = body.isReadable() ? body.getUnsignedByte(body.readerIndex()) : 0;
        if (body.isReadable() && audioCodec != Codec.AAC && b0 >> 4 != 9) {
            sampleRate = FLV_RATES[(b0 >> 2) & 3];
            channels = (b0 & 1) + 1;
        }
        lastAudio = timestamp;
        sawAudio = true;
    }

    /** AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1) at {@code dataOffset} of the tag body. */
    private void avcConfiguration(ByteBuf body, int dataOffset) {
        int at = body.readerIndex() + dataOffset;
        if (videoCodec != Codec.H264 || dataOffset < 0 || body.writerIndex() < at + 4) {
            return;
        }
        avcProfile = body.getUnsignedByte(at + 1);
        avcCompat = body.getUnsignedByte(at + 2);
        avcLevel = body.getUnsignedByte(at + 3);
    }

    /** AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1): object type, sampling frequency, channels, SBR/PS signalling. */
    private void aacConfiguration(ByteBuf body, int at) {
        int length = body.writerIndex() - at;
        long bits = 0;
        for (int i = 0; i < Math.min(length, 7); i++) {
            bits |= (long) body.getUnsignedByte(at + i) << (56 - 8 * i);
        }
        int[] position = {0};
        int objectType = objectType(bits, position);
        int rate = samplingFrequency(bits, position);
        int channelConfig = (int) take(bits, position, 4);
        boolean sbr = false;
        boolean ps = false;
        if (objectType == 5 || objectType == 29) {
            sbr = true;
            ps = objectType == 29;
            samplingFrequency(bits, position);
            objectType = objectType(bits, position);
        }
        aacObjectType = objectType;
        aacSbr = sbr;
        aacPs = ps;
        sampleRate = rate;
        channels = channelConfig;
    }

    private static int objectType(long bits, int[] position) {
        int type = (int) take(bits, position, 5);
        return type == 31 ? 32 + (int) take(bits, position, 6) : type;
    }

    private static int samplingFrequency(long bits, int[] position) {
        int index = (int) take(bits, position, 4);
        if (index == 15) {
            return (int) take(bits, position, 24);
        }
        return index < AAC_RATES.length ? AAC_RATES[index] : 0;
    }

    private static long take(long bits, int[] position, int count) {
        long value = (bits << position[0]) >>> (64 - count);
        position[0] += count;
        return value;
    }

    /** Width, height and frame rate of an {@code onMetaData} body, kept where present. */
    private void metadata(ByteBuf body) {
        List<Object> values;
        try {
            values = Amf0.readAll(body.duplicate());
        } catch (RuntimeException e) {
            return;
        }
        if (values.size() < 2) {
            return;
        }
        Map<?, ?> properties = switch (values.get(1)) {
            case Map<?, ?> map -> map;
            case EcmaArray array -> array.entries();
            default -> Map.of();
        };
        if (properties.get("width") instanceof Number w) {
            width = w.intValue();
        }
        if (properties.get("height") instanceof Number h) {
            height = h.intValue();
        }
        Object rate = properties.containsKey("framerate") ? properties.get("framerate") : properties.get("fps");
        if (rate instanceof Number r) {
            frameRate = r.doubleValue();
        }
    }

    StreamStats snapshot(boolean live, long framesIn, long timestampRepairs, long dropped, int timestamp) {
        long now = System.nanoTime();
        StreamStats.Video video = new StreamStats.Video(videoCodec, avcProfile, avcCompat, avcLevel, width, height,
            frameRate);
        StreamStats.Audio audio = new StreamStats.Audio(audioCodec, aacObjectType, aacSbr, aacPs, channels,
            sampleRate);
        int drift = sawAudio && sawVideo ? lastAudio - lastVideo : 0;
        return new StreamStats((now - createdNanos) / 1_000_000, live, framesIn, in.total(), out.total(),
            in.bitsPerSecond(now), out.bitsPerSecond(now), audioIn.bitsPerSecond(now), videoIn.bitsPerSecond(now),
            videoFrames.perSecond(now), keyframeIntervalMillis / 1000.0, drift, Integer.toUnsignedLong(timestamp),
            timestampRepairs, dropped, video, audio);
    }
}
