package onair.mpegts;

import io.netty.buffer.ByteBuf;

/**
 * Packs elementary streams into 188-byte MPEG-TS packets (ISO/IEC 13818-1): one program with a PAT and a PMT, the
 * video on PID 0x100 (which carries the PCR) and the audio on PID 0x101, as nginx-rtmp lays them out. Continuity
 * counters run on across segments; the last packet of each PES is padded with adaptation-field stuffing.
 */
public final class TsMuxer {

    static final int PACKET_SIZE = 188;
    static final int PMT_PID = 0x1000;
    static final int VIDEO_PID = 0x100;
    static final int AUDIO_PID = 0x101;
    /** stream_type values (ISO/IEC 13818-1 Table 2-34). */
    public static final int H264 = 0x1b;
    public static final int HEVC = 0x24;
    static final int AAC_ADTS = 0x0f;

    private static final int VIDEO_STREAM_ID = 0xe0;
    private static final int AUDIO_STREAM_ID = 0xc0;
    private static final int[] CRC_TABLE = crcTable();

    private int patCounter;
    private int pmtCounter;
    private int videoCounter;
    private int audioCounter;

    /**
     * Writes a PAT and a PMT listing the video (stream type {@code videoType}, 0 for none) and, if {@code audio}, AAC
     * in ADTS.
     */
    public void writeTables(ByteBuf out, int videoType, boolean audio) {
        byte[] pat = {0x00, (byte) 0xb0, 0x0d, 0x00, 0x01, (byte) 0xc1, 0x00, 0x00, 0x00, 0x01,
            (byte) (0xe0 | PMT_PID >> 8), (byte) PMT_PID};
        section(out, 0, patCounter++, pat);
        int streams = (videoType != 0 ? 1 : 0) + (audio ? 1 : 0);
        int pcrPid = videoType != 0 ? VIDEO_PID : AUDIO_PID;
        byte[] pmt = new byte[12 + 5 * streams];
        int length = pmt.length + 4 - 3;
        byte[] head = {0x02, (byte) (0xb0 | length >> 8), (byte) length, 0x00, 0x01, (byte) 0xc1, 0x00, 0x00,
            (byte) (0xe0 | pcrPid >> 8), (byte) pcrPid, (byte) 0xf0, 0x00};
        System.arraycopy(head, 0, pmt, 0, head.length);
        int at = head.length;
        if (videoType != 0) {
            at = elementaryStream(pmt, at, videoType, VIDEO_PID);
        }
        if (audio) {
            elementaryStream(pmt, at, AAC_ADTS, AUDIO_PID);
        }
        section(out, PMT_PID, pmtCounter++, pmt);
    }

    /**
     * Writes one video access unit as a PES on the video PID with a PCR (and the random-access flag on keyframes).
     * Times are in 90 kHz units.
     */
    public void writeVideo(ByteBuf out, long pts, long dts, long pcr, boolean keyframe, ByteBuf accessUnit) {
        videoCounter = writePes(out, VIDEO_PID, VIDEO_STREAM_ID, videoCounter, pts, dts, pcr, keyframe, accessUnit);
    }

    /** Writes ADTS frames as one PES on the audio PID; {@code pcr} is written when the stream has no video (≥ 0). */
    public void writeAudio(ByteBuf out, long pts, long pcr, ByteBuf adtsFrames) {
        audioCounter = writePes(out, AUDIO_PID, AUDIO_STREAM_ID, audioCounter, pts, pts, pcr, false, adtsFrames);
    }

    private static int elementaryStream(byte[] pmt, int at, int type, int pid) {
        pmt[at] = (byte) type;
        pmt[at + 1] = (byte) (0xe0 | pid >> 8);
        pmt[at + 2] = (byte) pid;
        pmt[at + 3] = (byte) 0xf0;
        pmt[at + 4] = 0x00;
        return at + 5;
    }

    private static void section(ByteBuf out, int pid, int counter, byte[] section) {
        int start = out.writerIndex();
        out.writeByte(0x47).writeByte(0x40 | pid >> 8).writeByte(pid & 0xff).writeByte(0x10 | (counter & 0x0f));
        out.writeByte(0);
        out.writeBytes(section);
        out.writeInt(crc32(section, 0, section.length));
        while (out.writerIndex() - start < PACKET_SIZE) {
            out.writeByte(0xff);
        }
    }

    private static int writePes(ByteBuf out, int pid, int streamId, int counter, long pts, long dts, long pcr,
            boolean randomAccess, ByteBuf data) {
        boolean withDts = dts != pts;
        int headerLength = withDts ? 10 : 5;
        long pesLength = 3L + headerLength + data.readableBytes();
        byte[] header = new byte[9 + headerLength];
        header[2] = 1;
        header[3] = (byte) streamId;
        if (pesLength <= 0xffff) {
            header[4] = (byte) (pesLength >> 8);
            header[5] = (byte) pesLength;
        }
        header[6] = (byte) 0x80;
        header[7] = (byte) (withDts ? 0xc0 : 0x80);
        header[8] = (byte) headerLength;
        timestamp(header, 9, withDts ? 3 : 2, pts);
        if (withDts) {
            timestamp(header, 14, 1, dts);
        }
        int headerAt = 0;
        int dataAt = data.readerIndex();
        int end = data.writerIndex();
        boolean first = true;
        while (headerAt < header.length || dataAt < end) {
            int start = out.writerIndex();
            out.writeByte(0x47).writeByte((first ? 0x40 : 0) | pid >> 8).writeByte(pid & 0xff);
            int counterAt = out.writerIndex();
            out.writeByte(0x10 | (counter & 0x0f));
            counter++;
            int remaining = header.length - headerAt + end - dataAt;
            boolean pcrHere = first && pcr >= 0;
            int fieldBody = first && (pcrHere || randomAccess) ? 1 + (pcrHere ? 6 : 0) : -1;
            int space = PACKET_SIZE - 4 - (fieldBody < 0 ? 0 : 1 + fieldBody);
            int stuffing = Math.max(0, space - remaining);
            if (stuffing > 0 && fieldBody < 0) {
                fieldBody = 0;
                stuffing--;
            }
            if (fieldBody >= 0) {
                out.setByte(counterAt, 0x30 | (counter - 1 & 0x0f));
                int fieldLength = fieldBody + stuffing;
                out.writeByte(fieldLength);
                if (fieldLength > 0) {
                    out.writeByte((randomAccess && first ? 0x40 : 0) | (pcrHere ? 0x10 : 0));
                    if (pcrHere) {
                        long base = pcr & 0x1_ffff_ffffL;
                        out.writeInt((int) (base >>> 1)).writeByte((int) ((base & 1) << 7 | 0x7e)).writeByte(0);
                    }
                    for (int i = fieldBody == 0 ? 1 : 0; i < stuffing; i++) {
                        out.writeByte(0xff);
                    }
                }
            }
            int room = PACKET_SIZE - (out.writerIndex() - start);
            int fromHeader = Math.min(room, header.length - headerAt);
            out.writeBytes(header, headerAt, fromHeader);
            headerAt += fromHeader;
            room -= fromHeader;
            int fromData = Math.min(room, end - dataAt);
            out.writeBytes(data, dataAt, fromData);
            dataAt += fromData;
            first = false;
        }
        return counter;
    }

    /** A 33-bit PTS or DTS with its 4-bit prefix and marker bits (ISO/IEC 13818-1 §2.4.3.7). */
    private static void timestamp(byte[] to, int at, int prefix, long time) {
        long t = time & 0x1_ffff_ffffL;
        to[at] = (byte) (prefix << 4 | (t >>> 29) & 0x0e | 1);
        to[at + 1] = (byte) (t >>> 22);
        to[at + 2] = (byte) ((t >>> 14) & 0xfe | 1);
        to[at + 3] = (byte) (t >>> 7);
        to[at + 4] = (byte) ((t << 1) & 0xfe | 1);
    }

    /** CRC-32/MPEG-2: polynomial 0x04C11DB7, initial value all ones, no reflection, no final XOR. */
    static int crc32(byte[] data, int from, int to) {
        int crc = 0xffffffff;
        for (int i = from; i < to; i++) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ data[i]) & 0xff];
        }
        return crc;
    }

    private static int[] crcTable() {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int k = 0; k < 8; k++) {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04c11db7 : c << 1;
            }
            table[i] = c;
        }
        return table;
    }
}
