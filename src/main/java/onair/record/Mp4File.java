package onair.record;

import io.netty.buffer.ByteBuf;
import onair.media.AudioSpecificConfig;
import onair.media.AvcDecoderConfiguration;
import onair.media.Codec;
import onair.media.HevcDecoderConfiguration;
import onair.media.MediaFormatException;
import onair.media.MediaFrame;
import onair.media.TagHeader;
import onair.mp4.Fmp4Muxer;
import onair.mp4.Mp4Recording;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;

/**
 * One MP4 recording (H.264 or HEVC, AAC) written as fragmented MP4 through {@link Fmp4Muxer}: {@code ftyp}, a reserve,
 * the initial {@code moov}, then a fragment per video keyframe, or after {@value #FRAGMENT_SECONDS} s without one
 * (per second of audio in an audio-only file), each written as soon as it is cut, so a crash loses only the fragment
 * being filled. Closing finishes it through {@link Mp4Recording}: a regular MP4, or kept fragmented.
 */
final class Mp4File implements RecordFile {

    static final int FRAGMENT_SECONDS = 1;
    private static final long FRAGMENT = 90_000L * FRAGMENT_SECONDS;
    private static final long STALLED_VIDEO = 2 * FRAGMENT;
    private static final long MAX_FRAGMENT_BYTES = 8L << 20;
    private static final long MP4_EPOCH_OFFSET = 2_082_844_800L;

    private final Path path;
    private final FileChannel channel;
    private final boolean fragmented;
    private final boolean locked;
    private final boolean recordAudio;
    private final boolean recordVideo;
    private final long created;
    private Fmp4Muxer.Video video;
    private Fmp4Muxer.Audio audio;
    private Fmp4Muxer muxer;
    private long written;
    private long pendingBytes;
    private long fragmentStart = -1;
    private long lastVideoDts;
    private long sequence;

    private Mp4File(Path path, FileChannel channel, boolean fragmented, boolean locked, boolean audio, boolean video,
            Instant start) {
        this.path = path;
        this.channel = channel;
        this.fragmented = fragmented;
        this.locked = locked;
        this.recordAudio = audio;
        this.recordVideo = video;
        this.created = start.getEpochSecond() + MP4_EPOCH_OFFSET;
    }

    /** Creates or truncates {@code path} (and its directory); with {@code lock}, takes an advisory lock if it can. */
    static Mp4File open(Path path, boolean fragmented, boolean lock, boolean audio, boolean video, Instant start)
            throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new Mp4File(path, channel, fragmented, lock && lock(channel), audio, video, start);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public long size() {
        return written + pendingBytes;
    }

    @Override
    public int lastTimestamp() {
        return 0;
    }

    @Override
    public boolean locked() {
        return locked;
    }

    /** A file's tracks are fixed by its initial {@code moov}: a changed decoder configuration needs a new file. */
    @Override
    public boolean accepts(MediaFrame sequenceHeader) {
        if (muxer == null) {
            return true;
        }
        if (sequenceHeader.isVideo()) {
            Fmp4Muxer.Video next = video(sequenceHeader);
            return !muxer.hasVideo() || next == null || next.equals(video);
        }
        Fmp4Muxer.Audio next = audio(sequenceHeader);
        return !muxer.hasAudio() || next == null || next.equals(audio);
    }

    @Override
    public void write(MediaFrame frame, int timestamp) throws IOException {
        if (frame.isData()) {
            return;
        }
        TagHeader header = frame.header();
        if (frame.isSequenceHeader()) {
            if (muxer == null && frame.isVideo()) {
                video = video(frame);
            } else if (muxer == null) {
                audio = audio(frame);
            }
            return;
        }
        if (header.dataOffset() < 0 || !start()) {
            return;
        }
        ByteBuf body = frame.payload();
        ByteBuf data = body.slice(body.readerIndex() + header.dataOffset(), body.readableBytes() - header.dataOffset());
        long time = 90L * timestamp;
        if (frame.isVideo() && muxer.hasVideo() && video(header.codec())) {
            cutBefore(time, frame.isKeyframe() || time - fragmentStart >= FRAGMENT);
            muxer.video(time, time + 90L * header.compositionTime(), frame.isKeyframe(), data);
            lastVideoDts = time;
        } else if (frame.isAudio() && muxer.hasAudio() && header.codec() == Codec.AAC) {
            cutBefore(time, time - fragmentStart >= (muxer.hasVideo() ? STALLED_VIDEO : FRAGMENT));
            muxer.audio(time, data);
        } else {
            return;
        }
        if (fragmentStart < 0) {
            fragmentStart = time;
        }
        pendingBytes += data.readableBytes();
    }

    /** Creates the muxer and writes the file's start at the first coded frame; false while there is no track. */
    private boolean start() throws IOException {
        if (muxer != null) {
            return true;
        }
        Fmp4Muxer.Video v = recordVideo ? video : null;
        Fmp4Muxer.Audio a = recordAudio ? audio : null;
        if (v == null && a == null) {
            return false;
        }
        muxer = new Fmp4Muxer(v, a);
        byte[] init = muxer.initialization();
        ByteBuffer bytes = ByteBuffer.wrap(init);
        int moov = bytes.getInt(0);
        bytes.putInt(moov + 8 + 12, (int) created).putInt(moov + 8 + 16, (int) created);
        append(ByteBuffer.wrap(init, 0, moov));
        append(ByteBuffer.wrap(Mp4Recording.reserve()));
        append(ByteBuffer.wrap(init, moov, init.length - moov));
        return true;
    }

    private void cutBefore(long time, boolean due) throws IOException {
        if (pendingBytes > 0 && (due || pendingBytes >= MAX_FRAGMENT_BYTES)) {
            cut(time);
        }
    }

    private void cut(long end) throws IOException {
        append(ByteBuffer.wrap(muxer.segment(sequence++, end)));
        pendingBytes = 0;
        fragmentStart = -1;
    }

    private void append(ByteBuffer bytes) throws IOException {
        written += bytes.remaining();
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Writes the last fragment and finishes the file; a file that got no frame is left empty. */
    @Override
    public void close() throws IOException {
        try (channel) {
            if (muxer != null) {
                if (pendingBytes > 0) {
                    cut(lastVideoDts);
                }
                Mp4Recording.finish(channel, fragmented);
            }
        }
    }

    private static boolean video(Codec codec) {
        return codec == Codec.H264 || codec == Codec.HEVC;
    }

    private static Fmp4Muxer.Video video(MediaFrame header) {
        TagHeader tag = header.header();
        if (!video(tag.codec()) || tag.dataOffset() < 0) {
            return null;
        }
        byte[] record = record(header, tag);
        boolean hevc = tag.codec() == Codec.HEVC;
        int[] size = dimensions(hevc, record);
        return new Fmp4Muxer.Video(hevc, record, size[0], size[1]);
    }

    /** The picture's width and height from the sequence parameter set, 0 and 0 when it cannot be read. */
    private static int[] dimensions(boolean hevc, byte[] record) {
        try {
            if (hevc) {
                HevcDecoderConfiguration config = HevcDecoderConfiguration.parse(record);
                return new int[] {config.sequenceParameterSet().width(), config.sequenceParameterSet().height()};
            }
            AvcDecoderConfiguration config = AvcDecoderConfiguration.parse(record);
            return new int[] {config.sequenceParameterSet().width(), config.sequenceParameterSet().height()};
        } catch (MediaFormatException e) {
            return new int[2];
        }
    }

    private static Fmp4Muxer.Audio audio(MediaFrame header) {
        TagHeader tag = header.header();
        if (tag.codec() != Codec.AAC || tag.dataOffset() < 0) {
            return null;
        }
        byte[] config = record(header, tag);
        try {
            AudioSpecificConfig aac = AudioSpecificConfig.parse(config);
            int channels = aac.channelConfiguration() == 0 ? 2 : aac.channelConfiguration();
            return new Fmp4Muxer.Audio(Arrays.copyOf(config, config.length), aac.samplingFrequency(), channels);
        } catch (MediaFormatException e) {
            return null;
        }
    }

    private static byte[] record(MediaFrame frame, TagHeader tag) {
        ByteBuf body = frame.payload();
        byte[] bytes = new byte[body.readableBytes() - tag.dataOffset()];
        body.getBytes(body.readerIndex() + tag.dataOffset(), bytes);
        return bytes;
    }

    private static boolean lock(FileChannel channel) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            return lock != null;
        } catch (OverlappingFileLockException e) {
            return false;
        }
    }
}
