package onair.mp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes CMAF-style fragmented MP4 (ISO/IEC 14496-12 §8.8) for HLS, DASH or a recorder: an initialisation segment
 * with one video track (1, 90 kHz, {@code avc1}/{@code hvc1}) and one audio track (2, at the AAC sampling rate,
 * {@code mp4a}), and media segments of one {@code moof} (a {@code traf} per track) and one {@code mdat}.
 */
public final class Fmp4Muxer {

    /** The video's codec configuration; {@code record} is the avcC or hvcC body. */
    public record Video(boolean hevc, byte[] record, int width, int height) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Video v && v.hevc == hevc && Arrays.equals(v.record, record)
                && v.width == width && v.height == height;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(record);
        }
    }

    /** The audio's AudioSpecificConfig and what the sample entry states. */
    public record Audio(byte[] config, int sampleRate, int channels) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Audio a && Arrays.equals(a.config, config) && a.sampleRate == sampleRate
                && a.channels == channels;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(config);
        }
    }

    private record Sample(long dts, int compositionOffset, boolean keyframe, byte[] data) {}

    private static final int VIDEO_TRACK = 1;
    private static final int AUDIO_TRACK = 2;
    private static final int AAC_FRAME_SAMPLES = 1024;
    private static final int[] MATRIX = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};

    private final Video video;
    private final Audio audio;
    private final List<Sample> videoSamples = new ArrayList<>();
    private final List<Sample> audioSamples = new ArrayList<>();

    public Fmp4Muxer(Video video, Audio audio) {
        this.video = video;
        this.audio = audio;
    }

    /** Whether this muxer's initialisation segment describes {@code video} and {@code audio}. */
    public boolean describes(Video video, Audio audio) {
        return Objects.equals(this.video, video) && Objects.equals(this.audio, audio);
    }

    /** Payload bytes of the samples waiting for the next segment. */
    public long bytes() {
        return Stream.concat(videoSamples.stream(), audioSamples.stream()).mapToLong(s -> s.data().length).sum();
    }

    public boolean hasVideo() {
        return video != null;
    }

    public boolean hasAudio() {
        return audio != null;
    }

    /** The initialisation segment ({@code ftyp} and {@code moov}), as HLS's {@code EXT-X-MAP} names it. */
    public byte[] initialization() {
        ByteBuf out = Unpooled.buffer(1024);
        try {
            box(out, "ftyp", b -> b.writeBytes(ascii("iso6")).writeInt(0).writeBytes(ascii("iso6cmfcmp41")));
            box(out, "moov", moov -> {
                fullBox(moov, "mvhd", 0, 0, b -> {
                    b.writeInt(0).writeInt(0).writeInt(1000).writeInt(0).writeInt(0x10000).writeShort(0x100)
                        .writeZero(10);
                    matrix(b);
                    b.writeZero(24).writeInt(3);
                });
                if (video != null) {
                    track(moov, VIDEO_TRACK, 90_000, "vide", this::videoSampleEntry);
                }
                if (audio != null) {
                    track(moov, AUDIO_TRACK, audio.sampleRate(), "soun", this::audioSampleEntry);
                }
                box(moov, "mvex", mvex -> {
                    for (int track : new int[] {VIDEO_TRACK, AUDIO_TRACK}) {
                        if (track == VIDEO_TRACK ? video != null : audio != null) {
                            fullBox(mvex, "trex", 0, 0, b -> b.writeInt(track).writeInt(1).writeInt(0).writeInt(0)
                                .writeInt(0));
                        }
                    }
                });
            });
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** Adds a video sample: length-prefixed NAL units as in the FLV tag, times in 90 kHz units. */
    public void video(long dts, long pts, boolean keyframe, ByteBuf data) {
        videoSamples.add(new Sample(dts, (int) (pts - dts), keyframe, ByteBufUtil.getBytes(data)));
    }

    /** Adds one raw AAC frame, its time in 90 kHz units. */
    public void audio(long pts, ByteBuf frame) {
        audioSamples.add(new Sample(pts * audio.sampleRate() / 90_000, 0, true, ByteBufUtil.getBytes(frame)));
    }

    /** The media segment of the samples added since the last one; {@code end} (90 kHz) closes the last video sample. */
    public byte[] segment(long sequence, long end) {
        ByteBuf out = Unpooled.buffer(1 << 16);
        try {
            int[] dataOffsetAt = new int[2];
            int moofStart = out.writerIndex();
            box(out, "moof", moof -> {
                fullBox(moof, "mfhd", 0, 0, b -> b.writeInt((int) sequence + 1));
                if (!videoSamples.isEmpty()) {
                    dataOffsetAt[0] = traf(moof, VIDEO_TRACK, videoSamples, videoDurations(end), true);
                }
                if (!audioSamples.isEmpty()) {
                    dataOffsetAt[1] = traf(moof, AUDIO_TRACK, audioSamples, null, false);
                }
            });
            int moofSize = out.writerIndex() - moofStart;
            int videoBytes = videoSamples.stream().mapToInt(s -> s.data().length).sum();
            if (!videoSamples.isEmpty()) {
                out.setInt(dataOffsetAt[0], moofSize + 8);
            }
            if (!audioSamples.isEmpty()) {
                out.setInt(dataOffsetAt[1], moofSize + 8 + videoBytes);
            }
            box(out, "mdat", mdat -> {
                videoSamples.forEach(s -> mdat.writeBytes(s.data()));
                audioSamples.forEach(s -> mdat.writeBytes(s.data()));
            });
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
            videoSamples.clear();
            audioSamples.clear();
        }
    }

    private long[] videoDurations(long end) {
        long[] durations = new long[videoSamples.size()];
        for (int i = 0; i < durations.length; i++) {
            long next = i + 1 < durations.length ? videoSamples.get(i + 1).dts() : end;
            durations[i] = Math.max(0, next - videoSamples.get(i).dts());
        }
        if (durations.length > 1 && durations[durations.length - 1] == 0) {
            durations[durations.length - 1] = durations[durations.length - 2];
        }
        return durations;
    }

    /** Writes a {@code traf}; returns the index of its {@code trun} data offset, to be filled in. */
    private static int traf(ByteBuf moof, int track, List<Sample> samples, long[] durations, boolean video) {
        int[] offsetAt = new int[1];
        box(moof, "traf", traf -> {
            fullBox(traf, "tfhd", 0, 0x020000, b -> b.writeInt(track));
            fullBox(traf, "tfdt", 1, 0, b -> b.writeLong(samples.getFirst().dts()));
            int flags = 0x001 | 0x100 | 0x200 | (video ? 0x400 | 0x800 : 0);
            fullBox(traf, "trun", 1, flags, b -> {
                b.writeInt(samples.size());
                offsetAt[0] = b.writerIndex();
                b.writeInt(0);
                for (int i = 0; i < samples.size(); i++) {
                    Sample sample = samples.get(i);
                    b.writeInt((int) (video ? durations[i] : AAC_FRAME_SAMPLES)).writeInt(sample.data().length);
                    if (video) {
                        b.writeInt(sample.keyframe() ? 0x02000000 : 0x01010000).writeInt(sample.compositionOffset());
                    }
                }
            });
        });
        return offsetAt[0];
    }

    private void track(ByteBuf moov, int id, int timescale, String handler, Consumer<ByteBuf> entry) {
        boolean isVideo = handler.equals("vide");
        box(moov, "trak", trak -> {
            fullBox(trak, "tkhd", 0, 3, b -> {
                b.writeInt(0).writeInt(0).writeInt(id).writeInt(0).writeInt(0).writeZero(8).writeShort(0)
                    .writeShort(0).writeShort(isVideo ? 0 : 0x100).writeShort(0);
                matrix(b);
                b.writeInt(isVideo ? video.width() << 16 : 0).writeInt(isVideo ? video.height() << 16 : 0);
            });
            box(trak, "mdia", mdia -> {
                fullBox(mdia, "mdhd", 0, 0, b -> b.writeInt(0).writeInt(0).writeInt(timescale).writeInt(0)
                    .writeShort(0x55c4).writeShort(0));
                fullBox(mdia, "hdlr", 0, 0, b -> b.writeInt(0).writeBytes(ascii(handler)).writeZero(12)
                    .writeBytes(ascii(isVideo ? "VideoHandler" : "SoundHandler")).writeByte(0));
                box(mdia, "minf", minf -> {
                    if (isVideo) {
                        fullBox(minf, "vmhd", 0, 1, b -> b.writeZero(8));
                    } else {
                        fullBox(minf, "smhd", 0, 0, b -> b.writeZero(4));
                    }
                    box(minf, "dinf", dinf -> fullBox(dinf, "dref", 0, 0, b -> {
                        b.writeInt(1);
                        fullBox(b, "url ", 0, 1, url -> { });
                    }));
                    box(minf, "stbl", stbl -> {
                        fullBox(stbl, "stsd", 0, 0, b -> {
                            b.writeInt(1);
                            entry.accept(b);
                        });
                        fullBox(stbl, "stts", 0, 0, b -> b.writeInt(0));
                        fullBox(stbl, "stsc", 0, 0, b -> b.writeInt(0));
                        fullBox(stbl, "stsz", 0, 0, b -> b.writeInt(0).writeInt(0));
                        fullBox(stbl, "stco", 0, 0, b -> b.writeInt(0));
                    });
                });
            });
        });
    }

    private void videoSampleEntry(ByteBuf stsd) {
        box(stsd, video.hevc() ? "hvc1" : "avc1", b -> {
            b.writeZero(6).writeShort(1).writeZero(16).writeShort(video.width()).writeShort(video.height())
                .writeInt(0x480000).writeInt(0x480000).writeInt(0).writeShort(1).writeZero(32).writeShort(0x18)
                .writeShort(0xffff);
            box(b, video.hevc() ? "hvcC" : "avcC", c -> c.writeBytes(video.record()));
        });
    }

    private void audioSampleEntry(ByteBuf stsd) {
        box(stsd, "mp4a", b -> {
            b.writeZero(6).writeShort(1).writeZero(8).writeShort(audio.channels()).writeShort(16).writeInt(0)
                .writeInt(Math.min(audio.sampleRate(), 0xffff) << 16);
            fullBox(b, "esds", 0, 0, esds -> {
                byte[] asc = audio.config();
                descriptor(esds, 0x03, 3 + (2 + 13 + 2 + asc.length) + 3, d -> {
                    d.writeShort(AUDIO_TRACK).writeByte(0);
                    descriptor(d, 0x04, 13 + 2 + asc.length, dc -> {
                        dc.writeByte(0x40).writeByte(0x15).writeMedium(0).writeInt(0).writeInt(0);
                        descriptor(dc, 0x05, asc.length, ds -> ds.writeBytes(asc));
                    });
                    descriptor(d, 0x06, 1, sl -> sl.writeByte(0x02));
                });
            });
        });
    }

    private static void descriptor(ByteBuf out, int tag, int length, Consumer<ByteBuf> body) {
        out.writeByte(tag).writeByte(length);
        body.accept(out);
    }

    private static void matrix(ByteBuf out) {
        for (int value : MATRIX) {
            out.writeInt(value);
        }
    }

    private static void box(ByteBuf out, String type, Consumer<ByteBuf> body) {
        int start = out.writerIndex();
        out.writeInt(0).writeBytes(ascii(type));
        body.accept(out);
        out.setInt(start, out.writerIndex() - start);
    }

    private static void fullBox(ByteBuf out, String type, int version, int flags,
            Consumer<ByteBuf> body) {
        box(out, type, b -> {
            b.writeInt(version << 24 | flags);
            body.accept(b);
        });
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
