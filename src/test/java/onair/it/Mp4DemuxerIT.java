package onair.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import onair.amf.Amf0;
import onair.amf.EcmaArray;
import onair.flv.Flv;
import onair.media.Codec;
import onair.media.FileByteSource;
import onair.media.MediaFrame;
import onair.mp4.Mp4Demuxer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/**
 * MP4 files that real ffmpeg 8 remuxes ({@code -c copy}) from the test FLVs, with the {@code moov} at the end and with
 * {@code +faststart}, and one it encodes straight to MP4 (edit lists over B-frames and AAC priming), read by
 * {@link Mp4Demuxer}: its frames are ffprobe's packets of the same file (per track the
 * count, data, pts and dts in ms, keyframes), its sequence headers the streams' extradata, its metadata the streams'
 * properties; an FLV written from its frames is read back by ffprobe with the same codecs and packets; seeking to 3 s
 * starts at the keyframe of 2 s.
 */
class Mp4DemuxerIT {

    private static final Duration RUN = Duration.ofMinutes(1);
    private static final Map<String, Path> REMUXED = new HashMap<>();

    @TempDir
    static Path dir;

    static Stream<Arguments> files() {
        List<Arguments> files = new ArrayList<>();
        Map<String, Supplier<Path>> sources = Map.of("h264", TestMedia::h264Aac360p,
            "h264-bframes", TestMedia::h264Aac360pBFrames, "hevc", TestMedia::hevcAac);
        for (String name : List.of("h264", "h264-bframes", "hevc")) {
            files.add(Arguments.of(name + "-moov-at-end", (Supplier<Path>) () -> remux(name + "-moov-at-end",
                sources.get(name).get(), false)));
            files.add(Arguments.of(name + "-faststart", (Supplier<Path>) () -> remux(name + "-faststart",
                sources.get(name).get(), true)));
        }
        files.add(Arguments.of("h264-bframes-encoded", (Supplier<Path>) Mp4DemuxerIT::encoded));
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void theFramesAreFfprobesPacketsOfTheSameFile(String name, Supplier<Path> file) throws IOException {
        Path mp4 = file.get();
        PacketList probed = PacketList.probeMillis(mp4);
        long shift = shift(probed);
        Map<String, Map<String, String>> streams = streams(mp4);
        List<MediaFrame> frames = new ArrayList<>();
        List<MediaFrame> headers;
        Map<String, Object> metadata;
        int duration;
        try (Mp4Demuxer demuxer = Mp4Demuxer.open(FileByteSource.open(mp4))) {
            headers = demuxer.sequenceHeaders();
            metadata = demuxer.metadata();
            duration = demuxer.duration();
            for (MediaFrame frame = demuxer.next(); frame != null; frame = demuxer.next()) {
                frames.add(frame);
            }
        }
        try {
            assertSamePackets("video", probed.video(), frames.stream().filter(MediaFrame::isVideo).toList(), shift);
            assertSamePackets("audio", probed.audio(), frames.stream().filter(MediaFrame::isAudio).toList(), shift);
            for (int i = 1; i < frames.size(); i++) {
                assertThat(frames.get(i).timestamp()).as("frame %d in decoding order", i)
                    .isGreaterThanOrEqualTo(frames.get(i - 1).timestamp());
            }
            Codec videoCodec = name.startsWith("hevc") ? Codec.HEVC : Codec.H264;
            assertThat(headers).extracting(frame -> frame.header().codec(), MediaFrame::isSequenceHeader)
                .containsExactly(tuple(videoCodec, true),
                    tuple(Codec.AAC, true));
            assertThat(hash(headers.get(0))).isEqualTo(streams.get("video").get("extradata_hash"));
            assertThat(hash(headers.get(1))).isEqualTo(streams.get("audio").get("extradata_hash"));
            Map<String, String> video = streams.get("video");
            Map<String, String> audio = streams.get("audio");
            String[] rate = video.get("avg_frame_rate").split("/");
            assertThat(metadata).containsEntry("width", Double.valueOf(video.get("width")))
                .containsEntry("height", Double.valueOf(video.get("height")))
                .containsEntry("framerate", Double.parseDouble(rate[0]) / Double.parseDouble(rate[1]))
                .containsEntry("videocodecid", videoCodec == Codec.H264 ? 7.0 : (double) 0x68766331)
                .containsEntry("audiocodecid", 10.0)
                .containsEntry("audiosamplerate", Double.valueOf(audio.get("sample_rate")))
                .containsEntry("audiochannels", Double.valueOf(audio.get("channels")));
            double probedDuration = Double.parseDouble(streams.get("format").get("duration")) * 1000;
            assertThat((double) duration).isCloseTo(probedDuration + shift, within(40.0));
            assertThat((Double) metadata.get("duration")).isEqualTo(duration / 1000.0);

            Path written = dir.resolve(name + "-demuxed.flv");
            writeFlv(written, metadata, headers, frames);
            PacketList replayed = PacketList.probeMillis(written);
            Map<String, Map<String, String>> replayedStreams = streams(written);
            assertThat(replayedStreams.get("video").get("codec_name")).isEqualTo(video.get("codec_name"));
            assertThat(replayedStreams.get("audio").get("codec_name")).isEqualTo(audio.get("codec_name"));
            assertSamePackets("video of the written FLV", replayed.video(),
                frames.stream().filter(MediaFrame::isVideo).toList(), 0);
            assertSamePackets("audio of the written FLV", replayed.audio(),
                frames.stream().filter(MediaFrame::isAudio).toList(), 0);
        } finally {
            frames.forEach(MediaFrame::release);
            headers.forEach(MediaFrame::release);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void seekingTo3sStartsAtTheKeyframeOf2s(String name, Supplier<Path> file) throws IOException {
        Path mp4 = file.get();
        PacketList probed = PacketList.probeMillis(mp4);
        long shift = shift(probed);
        List<Packet> video = probed.video();
        int keyframe = -1;
        for (int i = 0; i < video.size(); i++) {
            if (video.get(i).keyframe() && video.get(i).dts() + shift <= 3000) {
                keyframe = i;
            }
        }
        long keyframeTime = video.get(keyframe).dts() + shift;
        assertThat(keyframeTime).as("TestMedia has a keyframe every 2 s").isBetween(2000L, 2100L);
        List<Packet> audio = probed.audio().stream().filter(p -> p.dts() + shift >= keyframeTime).toList();
        List<MediaFrame> frames = new ArrayList<>();
        try (Mp4Demuxer demuxer = Mp4Demuxer.open(FileByteSource.open(mp4))) {
            assertThat((long) demuxer.seek(3000)).isCloseTo(keyframeTime, within(1L));
            for (MediaFrame frame = demuxer.next(); frame != null; frame = demuxer.next()) {
                frames.add(frame);
            }
        }
        try {
            assertThat(frames.getFirst().isKeyframe()).as("the first frame after the seek is a keyframe").isTrue();
            assertSamePackets("video after the seek", video.subList(keyframe, video.size()),
                frames.stream().filter(MediaFrame::isVideo).toList(), shift);
            assertSamePackets("audio after the seek", audio, frames.stream().filter(MediaFrame::isAudio).toList(),
                shift);
        } finally {
            frames.forEach(MediaFrame::release);
        }
    }

    /** What the demuxer adds to every timestamp: as much as makes the earliest dts 0, if it is negative. */
    private static long shift(PacketList probed) {
        return Math.max(0, -probed.packets().stream().mapToLong(Packet::dts).min().orElseThrow());
    }

    private static void assertSamePackets(String track, List<Packet> packets, List<MediaFrame> frames, long shift) {
        assertThat(frames).as("%s frames", track).hasSameSizeAs(packets);
        for (int i = 0; i < packets.size(); i++) {
            Packet packet = packets.get(i);
            MediaFrame frame = frames.get(i);
            String what = track + " frame " + i + " " + frame + " against " + packet;
            int dataOffset = frame.header().dataOffset();
            assertThat(dataOffset).as(what).isPositive();
            assertThat(frame.size() - dataOffset).as(what).isEqualTo(packet.size());
            assertThat(hash(frame)).as(what).isEqualTo(packet.dataHash());
            assertThat((long) frame.timestamp()).as("dts of " + what).isCloseTo(packet.dts() + shift, within(1L));
            assertThat((long) frame.timestamp() + frame.header().compositionTime()).as("pts of " + what)
                .isCloseTo(packet.pts() + shift, within(1L));
            if (frame.isVideo()) {
                assertThat(frame.isKeyframe()).as("keyframe flag of " + what).isEqualTo(packet.keyframe());
            }
        }
    }

    private static String hash(MediaFrame frame) {
        ByteBuf payload = frame.payload();
        int offset = frame.header().dataOffset();
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(ByteBufUtil.getBytes(payload, payload.readerIndex() + offset, payload.readableBytes() - offset));
            return "MD5:" + HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized Path remux(String name, Path flv, boolean faststart) {
        Path known = REMUXED.get(name);
        if (known != null) {
            return known;
        }
        Path mp4 = dir.resolve(name + ".mp4");
        List<String> args = new ArrayList<>(List.of("-y", "-i", flv.toString(), "-c", "copy"));
        if (faststart) {
            args.addAll(List.of("-movflags", "+faststart"));
        }
        args.add(mp4.toString());
        Ffmpeg.run("remux-" + name, RUN, args.toArray(String[]::new));
        List<String> boxes = topLevelBoxes(mp4);
        assertThat(boxes.indexOf("moov") < boxes.indexOf("mdat")).as("moov before mdat in %s", boxes)
            .isEqualTo(faststart);
        REMUXED.put(name, mp4);
        return mp4;
    }

    /**
     * H.264 with B-frames and mono 48 kHz AAC encoded by ffmpeg straight to MP4 (30 fps, a keyframe every 2 s): both
     * tracks' edits start at media time 1024, the audio's skipping the AAC priming samples.
     */
    private static synchronized Path encoded() {
        return REMUXED.computeIfAbsent("encoded", name -> {
            Path mp4 = dir.resolve("h264-bframes-aac-encoded.mp4");
            Ffmpeg.run("encode-mp4", RUN, "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30", "-f", "lavfi",
                "-i", "sine=frequency=440:sample_rate=48000", "-t", "5", "-map", "0:v", "-map", "1:a", "-c:v",
                "libx264", "-threads:v", "1", "-preset", "veryfast", "-bf", "3", "-g", "60", "-keyint_min", "60",
                "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1", mp4.toString());
            return mp4;
        });
    }

    private static List<String> topLevelBoxes(Path mp4) {
        List<String> types = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(mp4)) {
            ByteBuffer header = ByteBuffer.allocate(16);
            for (long at = 0; at + 8 <= channel.size(); ) {
                channel.read(header.clear(), at);
                long size = Integer.toUnsignedLong(header.getInt(0));
                size = size == 1 ? header.getLong(8) : size == 0 ? channel.size() - at : size;
                types.add(new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1));
                at += size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return types;
    }

    /** The video and audio streams' and the format's properties as ffprobe reads them, by codec type or "format". */
    private static Map<String, Map<String, String>> streams(Path file) {
        String out = Ffmpeg.probe("ffprobe-streams-" + file.getFileName(), RUN, "-show_data_hash", "MD5",
            "-show_entries", "stream=codec_type,codec_name,width,height,sample_rate,channels,avg_frame_rate,"
                + "extradata_hash:format=duration", "-of", "compact", file.toString());
        Map<String, Map<String, String>> streams = new HashMap<>();
        for (String line : out.lines().filter(line -> !line.isBlank()).toList()) {
            Map<String, String> fields = PacketList.fields(line);
            String key = line.startsWith("format|") ? "format" : fields.get("codec_type");
            streams.putIfAbsent(key, fields);
        }
        return streams;
    }

    private static void writeFlv(Path file, Map<String, Object> metadata, List<MediaFrame> headers,
            List<MediaFrame> frames) throws IOException {
        ByteBuf out = Unpooled.buffer();
        ByteBuf script = Unpooled.buffer();
        try {
            Flv.writeHeader(out, true, true);
            Amf0.writeAll(script, "onMetaData", new EcmaArray(metadata));
            Flv.writeTag(out, MediaFrame.Kind.DATA.typeId, 0, script);
            for (MediaFrame frame : Stream.concat(headers.stream(), frames.stream()).toList()) {
                Flv.writeTag(out, frame.kind().typeId, frame.timestamp(), frame.payload());
            }
            Files.write(file, ByteBufUtil.getBytes(out));
        } finally {
            out.release();
            script.release();
        }
    }
}
