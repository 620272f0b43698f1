package onair.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import onair.amf.Amf0;
import onair.amf.AmfException;
import onair.amf.EcmaArray;
import onair.media.ByteSource;
import onair.media.FrameReader;
import onair.media.MediaFrame;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An FLV file (FLV spec §E.2–§E.4) read as frames: the onMetaData script tag, the first audio and video sequence
 * headers, and a seek index from onMetaData's {@code keyframes} or, without one (or when it points beside the video
 * tags), from a scan of the tag headers. A tag cut short at the end of the file ends the frames.
 */
public final class FlvDemuxer implements FrameReader {

    /** Larger than any frame encoders write even at 4K, and half what the 24-bit DataSize field could announce. */
    static final int MAX_TAG_BODY = 8 << 20;
    static final int MAX_INDEX = 10_000_000;
    private static final int MAX_METADATA = 1 << 20;
    private static final double MAX_SECONDS = Integer.MAX_VALUE / 1000.0;
    private static final int PEEK_BODY = 32;
    private static final int FILE_HEADER = 9;
    private static final int AUDIO = 8;
    private static final int VIDEO = 9;
    private static final int SCRIPT = 18;

    private final ByteSource source;
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final List<MediaFrame> headers = new ArrayList<>();
    private final Set<Long> headerPositions = new HashSet<>();
    private long size;
    private long firstTag;
    private Index index = new Index();
    private boolean metadataIndex;
    private int duration;
    private long position;

    private FlvDemuxer(ByteSource source) {
        this.source = source;
    }

    /**
     * Reads the header, metadata, sequence headers and seek index of the FLV file in {@code source}, which the
     * demuxer closes when it is closed or when this fails.
     */
    public static FlvDemuxer open(ByteSource source) throws IOException {
        FlvDemuxer demuxer = new FlvDemuxer(source);
        try {
            demuxer.readHeader();
            demuxer.scan(true);
            demuxer.position = demuxer.firstTag;
            return demuxer;
        } catch (IOException | RuntimeException e) {
            try {
                demuxer.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void readHeader() throws IOException {
        size = source.size();
        if (size < FILE_HEADER) {
            throw new IOException("FLV header truncated: the file has " + size + " of its " + FILE_HEADER + " bytes");
        }
        ByteBuf header = read(0, FILE_HEADER);
        try {
            if (header.getByte(0) != 'F' || header.getByte(1) != 'L' || header.getByte(2) != 'V') {
                throw new IOException("not an FLV file: it starts with 0x" + ByteBufUtil.hexDump(header, 0, 3));
            }
            long dataOffset = header.getUnsignedInt(5);
            if (dataOffset < FILE_HEADER || dataOffset + 4 > size) {
                throw new IOException("FLV data offset " + dataOffset + " beyond the file of " + size + " bytes");
            }
            firstTag = dataOffset + 4;
        } finally {
            header.release();
        }
    }

    /**
     * Walks the tag headers. The first walk reads onMetaData and the first sequence headers, and stops once it has
     * them when onMetaData brought a keyframe index; otherwise, and on a later walk, it indexes the whole file.
     */
    private void scan(boolean first) throws IOException {
        Index video = new Index();
        Index audio = new Index();
        boolean videoHeader = !first;
        boolean audioHeader = !first;
        int last = 0;
        long at = firstTag;
        for (Tag tag; (tag = tag(at, PEEK_BODY)) != null; at = tag.end(at)) {
            if (first && tag.type == SCRIPT && at == firstTag && tag.bodySize <= MAX_METADATA) {
                metadataIndex = readMetadata(at, tag.bodySize);
            } else if (tag.type == VIDEO && tag.config && !videoHeader) {
                videoHeader = addHeader(MediaFrame.Kind.VIDEO, at, tag.bodySize);
            } else if (tag.type == AUDIO && tag.config && !audioHeader) {
                audioHeader = addHeader(MediaFrame.Kind.AUDIO, at, tag.bodySize);
            } else if (tag.type == VIDEO && tag.keyframe) {
                video.add(at, tag.timestamp);
            } else if (tag.type == AUDIO && !tag.config && video.count == 0) {
                audio.add(at, tag.timestamp);
            }
            if (tag.type == AUDIO || tag.type == VIDEO) {
                last = Math.max(last, tag.timestamp);
            }
            if (metadataIndex && videoHeader && (audioHeader || !metadata.containsKey("audiocodecid"))) {
                break;
            }
        }
        if (!metadataIndex) {
            index = video.count > 0 ? video : audio;
        }
        if (!metadataIndex && (first || duration == 0)) {
            duration = last;
        }
        if (first && metadata.get("duration") instanceof Double seconds && seconds > 0 && seconds < MAX_SECONDS) {
            duration = (int) Math.round(seconds * 1000);
        }
    }

    private boolean addHeader(MediaFrame.Kind kind, long at, int bodySize) throws IOException {
        headers.add(MediaFrame.of(kind, 0, read(at + Flv.TAG_HEADER_SIZE, bodySize)));
        headerPositions.add(at);
        return true;
    }

    /** Reads onMetaData; true when its keyframes index was taken for seeking. */
    private boolean readMetadata(long at, int bodySize) throws IOException {
        ByteBuf body = read(at + Flv.TAG_HEADER_SIZE, bodySize);
        List<Object> values;
        try {
            values = Amf0.readAll(body);
        } catch (AmfException e) {
            return false;
        } finally {
            body.release();
        }
        if (values.size() < 2 || !"onMetaData".equals(values.get(0))) {
            return false;
        }
        Map<?, ?> fields = values.get(1) instanceof EcmaArray array ? array.entries()
            : values.get(1) instanceof Map<?, ?> map ? map : Map.of();
        fields.forEach((key, value) -> metadata.put(String.valueOf(key), value));
        if (!(metadata.remove("keyframes") instanceof Map<?, ?> keyframes
            && keyframes.get("times") instanceof List<?> times
            && keyframes.get("filepositions") instanceof List<?> positions
            && times.size() == positions.size() && !times.isEmpty() && times.size() <= MAX_INDEX)) {
            return false;
        }
        Index fromMetadata = new Index();
        for (int i = 0; i < times.size(); i++) {
            if (!(times.get(i) instanceof Double t && t >= 0 && t < MAX_SECONDS)
                || !(positions.get(i) instanceof Double p && p >= firstTag && p + Flv.TAG_HEADER_SIZE <= size)) {
                return false;
            }
            int ms = (int) Math.round(t * 1000);
            if (i > 0 && ms < fromMetadata.times[i - 1]) {
                return false;
            }
            fromMetadata.add(p.longValue(), ms);
        }
        index = fromMetadata;
        return true;
    }

    @Override
    public int duration() {
        return duration;
    }

    @Override
    public Map<String, Object> metadata() {
        Map<String, Object> fields = new LinkedHashMap<>(metadata);
        fields.putIfAbsent("duration", duration / 1000.0);
        return fields;
    }

    @Override
    public List<MediaFrame> sequenceHeaders() {
        return headers.stream().map(MediaFrame::retain).toList();
    }

    @Override
    public int seek(int ms) throws IOException {
        int i = index.floor(ms);
        if (i >= 0 && metadataIndex && !isVideoTag(index.positions[i], index.times[i])) {
            metadataIndex = false;
            scan(false);
            i = index.floor(ms);
        }
        if (i < 0) {
            position = firstTag;
            return 0;
        }
        position = index.positions[i];
        return index.times[i];
    }

    private boolean isVideoTag(long at, int ms) throws IOException {
        Tag tag = tag(at, 0);
        return tag != null && tag.type == VIDEO && Math.abs(tag.timestamp - ms) <= 1;
    }

    @Override
    public MediaFrame next() throws IOException {
        for (Tag tag; (tag = tag(position, 0)) != null; ) {
            long at = position;
            position = tag.end(at);
            if ((tag.type == AUDIO || tag.type == VIDEO) && tag.bodySize > 0 && !headerPositions.contains(at)) {
                ByteBuf body = read(at + Flv.TAG_HEADER_SIZE, tag.bodySize);
                return MediaFrame.of(tag.type == AUDIO ? MediaFrame.Kind.AUDIO : MediaFrame.Kind.VIDEO, tag.timestamp,
                    body);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        headers.forEach(MediaFrame::release);
        headers.clear();
        source.close();
    }

    /**
     * The tag at {@code at}, with the flags of its body's first {@code peek} bytes; null where no complete tag starts,
     * at the end of the file or at a tag cut short by it.
     */
    private Tag tag(long at, int peek) throws IOException {
        if (at + Flv.TAG_HEADER_SIZE > size) {
            return null;
        }
        ByteBuf bytes = read(at, Flv.TAG_HEADER_SIZE + peek);
        try {
            int type = bytes.getUnsignedByte(0) & 0x1f;
            int bodySize = bytes.getUnsignedMedium(1);
            int timestamp = Flv.timestamp(bytes, 0);
            if (at + Flv.TAG_HEADER_SIZE + bodySize > size) {
                return null;
            }
            if (bodySize > MAX_TAG_BODY) {
                throw new IOException("FLV tag at " + at + " of " + bodySize + " bytes exceeds " + MAX_TAG_BODY);
            }
            int peeked = Math.min(bodySize, bytes.readableBytes() - Flv.TAG_HEADER_SIZE);
            if ((type != AUDIO && type != VIDEO) || peeked <= 0) {
                return new Tag(type, bodySize, timestamp, false, false);
            }
            MediaFrame.Kind kind = type == AUDIO ? MediaFrame.Kind.AUDIO : MediaFrame.Kind.VIDEO;
            MediaFrame frame = MediaFrame.of(kind, timestamp, bytes.retainedSlice(Flv.TAG_HEADER_SIZE, peeked));
            try {
                return new Tag(type, bodySize, timestamp, frame.isKeyframe(),
                    frame.isSequenceHeader() && frame.track() == 0);
            } finally {
                frame.release();
            }
        } finally {
            bytes.release();
        }
    }

    /** Reads {@code length} bytes at {@code at}, fewer only at the end of the file. */
    private ByteBuf read(long at, int length) throws IOException {
        int expected = (int) Math.min(length, size - at);
        ByteBuf bytes = source.read(at, length);
        if (bytes.readableBytes() != expected) {
            int got = bytes.readableBytes();
            bytes.release();
            throw new IOException("FLV file of " + size + " bytes gave " + got + " of " + expected + " bytes at " + at);
        }
        return bytes;
    }

    /** A tag's header and the flags of its body. */
    private record Tag(int type, int bodySize, int timestamp, boolean keyframe, boolean config) {

        long end(long at) {
            return at + Flv.tagSize(bodySize);
        }
    }

    /** Seek points in file order: tag positions and their timestamps, in arrays grown up to {@link #MAX_INDEX}. */
    private static final class Index {

        private long[] positions = new long[16];
        private int[] times = new int[16];
        private int count;

        void add(long at, int ms) throws IOException {
            if (count == MAX_INDEX) {
                throw new IOException("FLV file of more than " + MAX_INDEX + " seek points");
            }
            if (count == positions.length) {
                int grown = (int) Math.min(MAX_INDEX, 2L * count);
                positions = Arrays.copyOf(positions, grown);
                times = Arrays.copyOf(times, grown);
            }
            positions[count] = at;
            times[count++] = ms;
        }

        /** The last entry at or before {@code ms}, -1 if none. */
        int floor(int ms) {
            int i = Arrays.binarySearch(times, 0, count, ms);
            if (i < 0) {
                return -i - 2;
            }
            while (i + 1 < count && times[i + 1] == ms) {
                i++;
            }
            return i;
        }
    }
}
