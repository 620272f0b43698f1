package onair.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import onair.amf.Amf0;
import onair.amf.EcmaArray;
import onair.media.AudioSpecificConfig;
import onair.media.Codec;
import onair.media.MediaFormatException;
import onair.media.MediaFrame;
import onair.media.TagHeader;

import java.util.List;
import java.util.Map;

/**
 * The statistics of one live stream, updated in its fan-out under the stream's lock: a few adds per frame, and a
 * parse of the (rare) sequence headers and {@code onMetaData}. Readers take a {@link StreamStats} snapshot.
 */
final class StreamMeter {


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
        if (frame.header().signal() || frame.track() != 0) {
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
        if (frame.track() != 0) {
            return;
        }
        audioCodec = frame.header().codec();
        ByteBuf body = frame.payload();
        if (frame.isSequenceHeader()) {
            int at = body.readerIndex() + frame.header().dataOffset();
            if (audioCodec == Codec.AAC && frame.header().dataOffset() >= 0 && body.writerIndex() >= at + 2) {
                aacConfiguration(body, at);
            }
            return;
        }
        int rate = TagHeader.legacySoundRate(body);
        if (rate != 0 && audioCodec != Codec.AAC) {
            sampleRate = rate;
            channels = TagHeader.legacyChannels(body);
        }
        lastAudio = timestamp;
        sawAudio = true;
    }

    /**
     * AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1) at {@code dataOffset} of the tag body: its profile,
     * compatibility and level bytes, read as nginx-rtmp does even from a record that has no parameter sets yet.
     */
    private void avcConfiguration(ByteBuf body, int dataOffset) {
        int at = body.readerIndex() + dataOffset;
        if (videoCodec != Codec.H264 || dataOffset < 0 || body.writerIndex() < at + 4) {
            return;
        }
        avcProfile = body.getUnsignedByte(at + 1);
        avcCompat = body.getUnsignedByte(at + 2);
        avcLevel = body.getUnsignedByte(at + 3);
    }

    /** AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1); a malformed one leaves the audio track as it was. */
    private void aacConfiguration(ByteBuf body, int at) {
        AudioSpecificConfig config;
        try {
            config = AudioSpecificConfig.parse(ByteBufUtil.getBytes(body, at, body.writerIndex() - at));
        } catch (MediaFormatException malformed) {
            return;
        }
        aacObjectType = config.objectType();
        aacSbr = config.signalledObjectType() == 5 || config.signalledObjectType() == 29;
        aacPs = config.signalledObjectType() == 29;
        sampleRate = config.samplingFrequency();
        channels = config.channelConfiguration();
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
