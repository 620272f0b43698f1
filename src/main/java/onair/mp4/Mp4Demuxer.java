package onair.mp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import onair.media.ByteSource;
import onair.media.Codec;
import onair.media.FrameReader;
import onair.media.MediaFrame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A regular MP4 file (ISO/IEC 14496-12, {@code moov} before or after the media) read as FLV tag bodies: the first
 * H.264 or HEVC track and the first AAC track, interleaved by decoding time. H.264 and AAC frames have the legacy FLV
 * headers (FLV spec §E.4.2, §E.4.3), HEVC the Enhanced RTMP ones ({@code hvc1} FourCC). Only box headers are read
 * until the {@code moov}, and samples are read as they are played, so the source may be remote.
 */
public final class Mp4Demuxer implements FrameReader {

    static final int MAX_MOOV = 64 << 20;
    static final int MAX_BOXES = 100_000;
    private static final int WINDOW = 1 << 20;
    private static final int AVC_KEY = 0x17;
    private static final int AVC_INTER = 0x27;
    private static final int EX_HEADER = 0x80;
    private static final int CODED_FRAMES = 1;
    private static final int CODED_FRAMES_X = 3;
    private static final int AAC = 0xaf;

    /** Where a track is being read: its next sample and the bytes last read around it. */
    private static final class Cursor {
        final SampleTable table;
        int next;
        ByteBuf window;
        long windowStart;

        Cursor(SampleTable table) {
            this.table = table;
        }

        boolean hasNext() {
            return next < table.count;
        }

        void release() {
            if (window != null) {
                window.release();
                window = null;
            }
        }
    }

    private final ByteSource source;
    private final Cursor video;
    private final Cursor audio;
    private final int shift;
    private final int duration;
    private final List<MediaFrame> headers = new ArrayList<>();
    private final Map<String, Object> metadata = new LinkedHashMap<>();

    private Mp4Demuxer(ByteSource source, SampleTable video, SampleTable audio) {
        this.source = source;
        this.video = video == null ? null : new Cursor(video);
        this.audio = audio == null ? null : new Cursor(audio);
        int first = Math.min(video == null ? 0 : video.dts[0], audio == null ? 0 : audio.dts[0]);
        this.shift = Math.max(0, -first);
        long end = Math.max(video == null ? 0 : video.end, audio == null ? 0 : audio.end) + shift;
        this.duration = (int) Math.clamp(end, 0, Integer.MAX_VALUE);
        metadata.put("duration", duration / 1000.0);
        if (video != null) {
            SampleEntry entry = video.entry;
            metadata.put("width", (double) entry.width());
            metadata.put("height", (double) entry.height());
            if (video.mediaDuration > 0) {
                metadata.put("framerate", (double) video.count * video.timescale / video.mediaDuration);
            }
            metadata.put("videocodecid", entry.codec() == Codec.H264 ? 7.0 : (double) fourCc(entry.codec()));
            headers.add(MediaFrame.of(MediaFrame.Kind.VIDEO, 0, videoHeader(entry)));
        }
        if (audio != null) {
            metadata.put("audiosamplerate", (double) audio.entry.sampleRate());
            metadata.put("audiochannels", (double) audio.entry.channels());
            metadata.put("audiocodecid", 10.0);
            ByteBuf header = Unpooled.buffer(2 + audio.entry.config().length);
            header.writeByte(AAC).writeByte(0).writeBytes(audio.entry.config());
            headers.add(MediaFrame.of(MediaFrame.Kind.AUDIO, 0, header));
        }
    }

    /**
     * Finds the {@code moov} of the MP4 file in {@code source} and reads its first video and audio tracks' sample
     * tables; fails on a file without one it can play or whose boxes and tables disagree.
     */
    public static Mp4Demuxer open(ByteSource source) throws IOException {
        long size = source.size();
        ByteBuf moov = readMoov(source, size);
        try {
            ByteBuffer buffer = moov.nioBuffer(moov.readerIndex(), moov.readableBytes());
            int children = moov.getUnsignedInt(0) == 1 ? 16 : 8;
            BoxRange mvhd = BoxRange.first(buffer, children, buffer.limit(), "mvhd");
            if (mvhd == null || mvhd.size() < 32) {
                throw new IOException("no mvhd in the moov");
            }
            long timescale = Integer.toUnsignedLong(buffer.getInt(mvhd.start() + (buffer.get(mvhd.start() + 8) == 1
                ? 28 : 20)));
            if (timescale == 0) {
                throw new IOException("an mvhd timescale of 0");
            }
            SampleTable video = null;
            SampleTable audio = null;
            for (BoxRange trak : BoxRange.children(buffer, children, buffer.limit())) {
                Set<MediaFrame.Kind> wanted = EnumSet.noneOf(MediaFrame.Kind.class);
                if (video == null) {
                    wanted.add(MediaFrame.Kind.VIDEO);
                }
                if (audio == null) {
                    wanted.add(MediaFrame.Kind.AUDIO);
                }
                SampleTable track = trak.type().equals("trak") && !wanted.isEmpty()
                    ? SampleTable.read(buffer, trak, wanted, timescale, size) : null;
                if (track != null && track.count > 0) {
                    if (track.kind == MediaFrame.Kind.VIDEO) {
                        video = track;
                    } else {
                        audio = track;
                    }
                }
            }
            if (video == null && audio == null) {
                throw new IOException("no H.264, HEVC or AAC track with samples in the moov");
            }
            return new Mp4Demuxer(source, video, audio);
        } catch (RuntimeException e) {
            throw new IOException("a malformed moov: " + e.getMessage(), e);
        } finally {
            moov.release();
        }
    }

    /** Walks the top-level box headers to the {@code moov} and reads it whole. */
    private static ByteBuf readMoov(ByteSource source, long size) throws IOException {
        long at = 0;
        for (int boxes = 0; at + 8 <= size; boxes++) {
            if (boxes == MAX_BOXES) {
                throw new IOException("no moov in the first " + MAX_BOXES + " boxes");
            }
            ByteBuf header = source.read(at, 16);
            long boxSize;
            int headerSize = 8;
            String type;
            try {
                if (header.readableBytes() < 8) {
                    throw new IOException("the file ended in the box header at " + at);
                }
                boxSize = header.getUnsignedInt(0);
                type = header.toString(4, 4, StandardCharsets.ISO_8859_1);
                if (boxSize == 1) {
                    if (header.readableBytes() < 16) {
                        throw new IOException("the file ended in the box header at " + at);
                    }
                    boxSize = header.getLong(8);
                    headerSize = 16;
                } else if (boxSize == 0) {
                    boxSize = size - at;
                }
            } finally {
                header.release();
            }
            if (boxSize < headerSize || boxSize > size - at) {
                throw new IOException("the " + type + " box at " + at + " of " + boxSize
                    + " bytes does not fit the file of " + size + " bytes");
            }
            if (type.equals("moov")) {
                if (boxSize > MAX_MOOV) {
                    throw new IOException("a moov of " + boxSize + " bytes, more than " + MAX_MOOV);
                }
                ByteBuf moov = source.read(at, (int) boxSize);
                if (moov.readableBytes() < boxSize) {
                    moov.release();
                    throw new IOException("the file ended in the moov at " + at);
                }
                return moov;
            }
            at += boxSize;
        }
        throw new IOException("no moov box in the file of " + size + " bytes");
    }

    private static ByteBuf videoHeader(SampleEntry entry) {
        byte[] record = entry.config();
        ByteBuf header = Unpooled.buffer(5 + record.length);
        if (entry.codec() == Codec.H264) {
            header.writeByte(AVC_KEY).writeByte(0).writeMedium(0);
        } else {
            header.writeByte(EX_HEADER | 0x10).writeInt(fourCc(entry.codec()));
        }
        return header.writeBytes(record);
    }

    private static int fourCc(Codec codec) {
        byte[] code = codec.fourCc().getBytes(StandardCharsets.ISO_8859_1);
        return (code[0] & 0xff) << 24 | (code[1] & 0xff) << 16 | (code[2] & 0xff) << 8 | code[3] & 0xff;
    }

    @Override
    public int duration() {
        return duration;
    }

    @Override
    public Map<String, Object> metadata() {
        return new LinkedHashMap<>(metadata);
    }

    @Override
    public List<MediaFrame> sequenceHeaders() {
        return headers.stream().map(MediaFrame::retain).toList();
    }

    @Override
    public int seek(int ms) throws IOException {
        long target = (long) ms - shift;
        if (video == null) {
            audio.next = Math.max(0, lastAtOrBefore(audio.table, null, target));
            return audio.table.dts[audio.next] + shift;
        }
        SampleTable table = video.table;
        int sample = Math.max(0, lastAtOrBefore(table, table.sync, target));
        video.next = sample;
        if (audio != null) {
            audio.next = sample == 0 ? 0 : lastAtOrBefore(audio.table, null, table.dts[sample] - 1L) + 1;
        }
        return table.dts[sample] + shift;
    }

    /** The last sample (of {@code among}, sample indexes, if not null) whose decoding time is at most {@code time}. */
    private static int lastAtOrBefore(SampleTable table, int[] among, long time) {
        int low = 0;
        int high = (among == null ? table.count : among.length) - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int sample = among == null ? middle : among[middle];
            if (table.dts[sample] <= time) {
                found = sample;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    @Override
    public MediaFrame next() throws IOException {
        Cursor cursor = video != null && video.hasNext()
            && (audio == null || !audio.hasNext() || video.table.dts[video.next] <= audio.table.dts[audio.next])
            ? video : audio != null && audio.hasNext() ? audio : null;
        if (cursor == null) {
            return null;
        }
        SampleTable table = cursor.table;
        int sample = cursor.next;
        int at = window(cursor, sample);
        int size = table.sizes[sample];
        int cts = table.cts[sample];
        boolean hevc = table.entry.codec() == Codec.HEVC;
        ByteBuf payload = Unpooled.buffer((hevc ? 8 : 5) + size);
        if (table.kind == MediaFrame.Kind.AUDIO) {
            payload.writeByte(AAC).writeByte(1);
        } else {
            int frameType = table.isSync(sample) ? 1 : 2;
            if (!hevc) {
                payload.writeByte(frameType == 1 ? AVC_KEY : AVC_INTER).writeByte(1).writeMedium(cts);
            } else if (cts != 0) {
                payload.writeByte(EX_HEADER | frameType << 4 | CODED_FRAMES).writeInt(fourCc(Codec.HEVC))
                    .writeMedium(cts);
            } else {
                payload.writeByte(EX_HEADER | frameType << 4 | CODED_FRAMES_X).writeInt(fourCc(Codec.HEVC));
            }
        }
        payload.writeBytes(cursor.window, at, size);
        cursor.next++;
        return MediaFrame.of(table.kind, table.dts[sample] + shift, payload);
    }

    /**
     * Makes sure the cursor's window holds {@code sample}, reading it with the samples right after it in the file
     * (up to 1 MiB); returns where in the window the sample starts.
     */
    private int window(Cursor cursor, int sample) throws IOException {
        SampleTable table = cursor.table;
        long offset = table.offsets[sample];
        int size = table.sizes[sample];
        if (cursor.window == null || offset < cursor.windowStart
            || offset + size > cursor.windowStart + cursor.window.readableBytes()) {
            cursor.release();
            long end = offset + size;
            for (int next = sample + 1; next < table.count && table.offsets[next] == end
                && end + table.sizes[next] - offset <= WINDOW; next++) {
                end += table.sizes[next];
            }
            cursor.window = source.read(offset, (int) (end - offset));
            cursor.windowStart = offset;
            if (cursor.window.readableBytes() < end - offset) {
                cursor.release();
                throw new IOException("the file ended in sample " + sample + " at " + offset);
            }
        }
        return cursor.window.readerIndex() + (int) (offset - cursor.windowStart);
    }

    @Override
    public void close() throws IOException {
        headers.forEach(MediaFrame::release);
        headers.clear();
        if (video != null) {
            video.release();
        }
        if (audio != null) {
            audio.release();
        }
        source.close();
    }
}
