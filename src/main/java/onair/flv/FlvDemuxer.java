package onair.flv;

import io.netty.buffer.ByteBuf;
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
 * headers, and a seek index from onMetaData's {@code keyframes} or, without one, from a scan of the tag headers.
 */
public final class FlvDemuxer implements FrameReader {

    static final int MAX_TAG_BODY = 16 << 20;
    static final int MAX_INDEX = 10_000_000;
    private static final int MAX_METADATA = 1 << 20;
    private static final int PEEK = Flv.TAG_HEADER_SIZE + 2;

    private final ByteSource source;
    private final long size;
    private final long firstTag;
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final List<MediaFrame> headers = new ArrayList<>();
    private final Set<Long> headerPositions = new HashSet<>();
    private long[] indexPositions = new long[0];
    private int[] indexTimes = new int[0];
    private int duration;
    private long position;

    private FlvDemuxer(ByteSource source) throws IOException {
        this.source = source;
        this.size = source.size();
        ByteBuf header = source.read(0, 9);
        try {
            if (header.readableBytes() < 9 || header.getByte(0) != 'F' || header.getByte(1) != 'L'
                || header.getByte(2) != 'V') {
                throw new IOException("not an FLV file");
            }
            long dataOffset = header.getUnsignedInt(5);
            if (dataOffset < 9 || dataOffset + 4 > size) {
                throw new IOException("FLV data offset " + dataOffset + " beyond the file of " + size + " bytes");
            }
            firstTag = dataOffset + 4;
        } finally {
            header.release();
        }
        scan();
        position = firstTag;
    }

    /** Reads the header, metadata, sequence headers and seek index of the FLV file in {@code source}. */
    public static FlvDemuxer open(ByteSource source) throws IOException {
        return new FlvDemuxer(source);
    }

    private void scan() throws IOException {
        boolean metadataKeyframes = false;
        List<long[]> video = new ArrayList<>();
        List<long[]> audio = new ArrayList<>();
        boolean videoHeader = false;
        boolean audioHeader = false;
        int last = 0;
        for (long at = firstTag; at + Flv.TAG_HEADER_SIZE <= size; ) {
            ByteBuf peek = source.read(at, PEEK);
            int type;
            int bodySize;
            int timestamp;
            int b0;
            int b1;
            try {
                type = peek.getUnsignedByte(0) & 0x1f;
                bodySize = peek.getUnsignedMedium(1);
                timestamp = Flv.timestamp(peek, 0);
                b0 = peek.readableBytes() > 11 ? peek.getUnsignedByte(11) : 0;
                b1 = peek.readableBytes() > 12 ? peek.getUnsignedByte(12) : 0;
            } finally {
                peek.release();
            }
            long end = at + Flv.tagSize(bodySize);
            if (bodySize > MAX_TAG_BODY) {
                throw new IOException("FLV tag at " + at + " of " + bodySize + " bytes exceeds " + MAX_TAG_BODY);
            }
            if (end - 4 > size) {
                throw new IOException("FLV tag at " + at + " ends beyond the file of " + size + " bytes");
            }
            if (type == 18 && at == firstTag && bodySize <= MAX_METADATA) {
                metadataKeyframes = readMetadata(at, bodySize);
            } else if (type == 9 && bodySize > 0) {
                boolean config = (b0 & 0x80) != 0 ? (b0 & 0x0f) == 0 : (b0 & 0x0f) == 7 || (b0 & 0x0f) == 12
                    ? b1 == 0 : false;
                if (config && !videoHeader) {
                    videoHeader = addHeader(MediaFrame.Kind.VIDEO, at, bodySize);
                } else if (!config && (b0 >> 4 & 7) == 1) {
                    add(video, at, timestamp);
                }
            } else if (type == 8 && bodySize > 0) {
                boolean config = b0 >> 4 == 10 ? b1 == 0 : b0 >> 4 == 9 && (b0 & 0x0f) == 0;
                if (config && !audioHeader) {
                    audioHeader = addHeader(MediaFrame.Kind.AUDIO, at, bodySize);
                } else if (!config) {
                    add(audio, at, timestamp);
                }
            }
            if (type == 8 || type == 9) {
                last = Math.max(last, timestamp);
            }
            if (metadataKeyframes && videoHeader && (audioHeader || !metadata.containsKey("audiocodecid"))) {
                break;
            }
            at = end;
        }
        if (!metadataKeyframes) {
            List<long[]> index = video.isEmpty() ? audio : video;
            indexPositions = index.stream().mapToLong(entry -> entry[0]).toArray();
            indexTimes = index.stream().mapToInt(entry -> (int) entry[1]).toArray();
            duration = last;
        }
        if (metadata.get("duration") instanceof Double seconds && seconds > 0) {
            duration = (int) Math.round(seconds * 1000);
        }
    }

    private static void add(List<long[]> index, long at, int timestamp) throws IOException {
        if (index.size() >= MAX_INDEX) {
            throw new IOException("FLV file of more than " + MAX_INDEX + " frames");
        }
        index.add(new long[] {at, timestamp});
    }

    private boolean addHeader(MediaFrame.Kind kind, long at, int bodySize) throws IOException {
        ByteBuf body = source.read(at + Flv.TAG_HEADER_SIZE, bodySize);
        headers.add(MediaFrame.of(kind, 0, body));
        headerPositions.add(at);
        return true;
    }

    /** Reads onMetaData; true when its keyframes index was taken for seeking. */
    private boolean readMetadata(long at, int bodySize) throws IOException {
        ByteBuf body = source.read(at + Flv.TAG_HEADER_SIZE, bodySize);
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
        Object keyframes = metadata.remove("keyframes");
        if (keyframes instanceof Map<?, ?> index && index.get("times") instanceof List<?> times
            && index.get("filepositions") instanceof List<?> positions && times.size() == positions.size()
            && !times.isEmpty() && times.size() <= MAX_INDEX) {
            long[] at2 = new long[times.size()];
            int[] ms = new int[times.size()];
            for (int i = 0; i < at2.length; i++) {
                if (!(times.get(i) instanceof Double t) || !(positions.get(i) instanceof Double p)
                    || p < firstTag || p + Flv.TAG_HEADER_SIZE > size || i > 0 && t * 1000 < ms[i - 1]) {
                    return false;
                }
                at2[i] = p.longValue();
                ms[i] = (int) Math.round(t * 1000);
            }
            indexPositions = at2;
            indexTimes = ms;
            return true;
        }
        return false;
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
        int i = Arrays.binarySearch(indexTimes, ms);
        if (i < 0) {
            i = -i - 2;
        } else {
            while (i + 1 < indexTimes.length && indexTimes[i + 1] == ms) {
                i++;
            }
        }
        if (i < 0) {
            position = firstTag;
            return 0;
        }
        position = indexPositions[i];
        return indexTimes[i];
    }

    @Override
    public MediaFrame next() throws IOException {
        while (position + Flv.TAG_HEADER_SIZE <= size) {
            long at = position;
            ByteBuf header = source.read(at, Flv.TAG_HEADER_SIZE);
            int type = header.getUnsignedByte(0) & 0x1f;
            int bodySize = header.getUnsignedMedium(1);
            int timestamp = Flv.timestamp(header, 0);
            header.release();
            if (bodySize > MAX_TAG_BODY || at + Flv.TAG_HEADER_SIZE + bodySize > size) {
                throw new IOException("FLV tag at " + at + " of " + bodySize + " bytes does not fit the file");
            }
            position = at + Flv.tagSize(bodySize);
            if ((type == 8 || type == 9) && bodySize > 0 && !headerPositions.contains(at)) {
                ByteBuf body = source.read(at + Flv.TAG_HEADER_SIZE, bodySize);
                return MediaFrame.of(type == 8 ? MediaFrame.Kind.AUDIO : MediaFrame.Kind.VIDEO, timestamp, body);
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
}
