package onair.mp4;

import onair.media.MediaFrame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;

/**
 * One track's samples as its {@code trak} describes them (ISO/IEC 14496-12 §8.6–§8.7): decoding times from
 * {@code stts}, composition offsets from {@code ctts}, sizes from {@code stsz}/{@code stz2}, file offsets from
 * {@code stsc} and {@code stco}/{@code co64}, sync samples from {@code stss}, in milliseconds on the presentation
 * timeline of a simple initial edit ({@code elst}: leading empty edits, then one edit from a media time).
 */
final class SampleTable {

    static final int MAX_SAMPLES = 10_000_000;
    static final int MAX_SAMPLE_SIZE = (16 << 20) - 16;
    private static final int MAX_CTS = 0x7fffff;
    private static final long MAX_EDIT = Integer.MAX_VALUE;

    final MediaFrame.Kind kind;
    final SampleEntry entry;
    final int timescale;
    final int count;
    /** Decoding times in ms; non-decreasing. */
    final int[] dts;
    /** Presentation minus decoding time in ms. */
    final int[] cts;
    final int[] sizes;
    final long[] offsets;
    /** The sync samples' indexes in increasing order, or null when every sample is one. */
    final int[] sync;
    /** Where the last sample ends, in ms. */
    final long end;
    /** The sum of the sample durations in the track's timescale. */
    final long mediaDuration;

    private SampleTable(MediaFrame.Kind kind, SampleEntry entry, int timescale, int count, int[] dts, int[] cts,
            int[] sizes, long[] offsets, int[] sync, long end, long mediaDuration) {
        this.kind = kind;
        this.entry = entry;
        this.timescale = timescale;
        this.count = count;
        this.dts = dts;
        this.cts = cts;
        this.sizes = sizes;
        this.offsets = offsets;
        this.sync = sync;
        this.end = end;
        this.mediaDuration = mediaDuration;
    }

    /**
     * The samples of {@code trak}, or null for a track that is not of a {@code wanted} kind and a codec Onair plays.
     *
     * @param movieTimescale the {@code mvhd} timescale, in which edit durations are given
     * @param fileSize       the file's size, which every sample must lie within
     */
    static SampleTable read(ByteBuffer moov, BoxRange trak, Set<MediaFrame.Kind> wanted, long movieTimescale,
            long fileSize) throws IOException {
        BoxRange mdia = child(moov, trak, "mdia");
        BoxRange hdlr = child(moov, mdia, "hdlr");
        String handler = BoxRange.type(moov, need(hdlr, 20).start() + 16);
        MediaFrame.Kind kind = handler.equals("vide") ? MediaFrame.Kind.VIDEO
            : handler.equals("soun") ? MediaFrame.Kind.AUDIO : null;
        if (kind == null || !wanted.contains(kind)) {
            return null;
        }
        BoxRange stbl = child(moov, child(moov, mdia, "minf"), "stbl");
        SampleEntry entry = SampleEntry.read(moov, child(moov, stbl, "stsd"));
        if (entry == null || entry.codec().kind() != kind) {
            return null;
        }
        BoxRange mdhd = child(moov, mdia, "mdhd");
        int version = version(moov, need(mdhd, 24));
        long timescale = Integer.toUnsignedLong(moov.getInt(need(mdhd, version == 1 ? 32 : 24).start()
            + (version == 1 ? 28 : 20)));
        if (timescale == 0 || timescale > Integer.MAX_VALUE) {
            throw new IOException("an mdhd timescale of " + timescale);
        }
        int[] sizes = sizes(moov, stbl);
        int count = sizes.length;
        long[] offsets = offsets(moov, stbl, sizes, fileSize);
        long shift = editShift(moov, trak, timescale, movieTimescale);
        int[] dts = new int[count];
        int[] cts = new int[count];
        long duration = times(moov, stbl, (int) timescale, shift, dts, cts);
        long end = ms(duration + shift, timescale);
        int[] sync = kind == MediaFrame.Kind.VIDEO ? sync(moov, stbl, count) : null;
        return new SampleTable(kind, entry, (int) timescale, count, dts, cts, sizes, offsets, sync, end, duration);
    }

    boolean isSync(int sample) {
        return sync == null || Arrays.binarySearch(sync, sample) >= 0;
    }

    private static int[] sizes(ByteBuffer moov, BoxRange stbl) throws IOException {
        BoxRange stsz = BoxRange.first(moov, stbl.start() + 8, stbl.end(), "stsz");
        BoxRange stz2 = stsz == null ? BoxRange.first(moov, stbl.start() + 8, stbl.end(), "stz2") : null;
        BoxRange box = stsz != null ? stsz : stz2;
        if (box == null) {
            throw new IOException("a track without stsz");
        }
        long count = Integer.toUnsignedLong(moov.getInt(need(box, 20).start() + 16));
        if (count > MAX_SAMPLES) {
            throw new IOException("a track of " + count + " samples, more than " + MAX_SAMPLES);
        }
        int[] sizes = new int[(int) count];
        int at = box.start() + 20;
        if (stsz != null) {
            long constant = Integer.toUnsignedLong(moov.getInt(box.start() + 12));
            if (constant == 0) {
                need(box, 20 + 4 * count);
            }
            for (int i = 0; i < count; i++) {
                sizes[i] = size(constant != 0 ? constant : Integer.toUnsignedLong(moov.getInt(at + 4 * i)), i);
            }
        } else {
            int field = moov.get(box.start() + 15) & 0xff;
            if (field != 4 && field != 8 && field != 16) {
                throw new IOException("an stz2 field size of " + field);
            }
            need(box, 20 + (count * field + 7) / 8);
            for (int i = 0; i < count; i++) {
                sizes[i] = field == 16 ? Short.toUnsignedInt(moov.getShort(at + 2 * i))
                    : field == 8 ? moov.get(at + i) & 0xff
                    : (moov.get(at + i / 2) & 0xff) >> (i % 2 == 0 ? 4 : 0) & 0x0f;
            }
        }
        return sizes;
    }

    private static int size(long size, int sample) throws IOException {
        if (size > MAX_SAMPLE_SIZE) {
            throw new IOException("sample " + sample + " of " + size + " bytes, more than " + MAX_SAMPLE_SIZE);
        }
        return (int) size;
    }

    /** Each sample's file offset: the chunks of {@code stco}/{@code co64} filled as {@code stsc} says. */
    private static long[] offsets(ByteBuffer moov, BoxRange stbl, int[] sizes, long fileSize) throws IOException {
        BoxRange stco = BoxRange.first(moov, stbl.start() + 8, stbl.end(), "stco");
        BoxRange co64 = stco == null ? BoxRange.first(moov, stbl.start() + 8, stbl.end(), "co64") : null;
        BoxRange chunks = stco != null ? stco : co64;
        if (chunks == null) {
            throw new IOException("a track without stco or co64");
        }
        int chunkBytes = stco != null ? 4 : 8;
        long chunkCount = entries(moov, chunks, chunkBytes);
        BoxRange stsc = child(moov, stbl, "stsc");
        long runs = entries(moov, stsc, 12);
        long[] offsets = new long[sizes.length];
        int sample = 0;
        long previousFirst = 0;
        for (int run = 0; run < runs && sample < sizes.length; run++) {
            int at = stsc.start() + 16 + 12 * run;
            long first = Integer.toUnsignedLong(moov.getInt(at));
            long perChunk = Integer.toUnsignedLong(moov.getInt(at + 4));
            long next = run + 1 < runs ? Integer.toUnsignedLong(moov.getInt(at + 12)) : chunkCount + 1;
            if (first <= previousFirst) {
                throw new IOException("stsc first chunks not increasing: " + first + " after " + previousFirst);
            }
            previousFirst = first;
            for (long chunk = first; chunk < next && chunk <= chunkCount && sample < sizes.length; chunk++) {
                int entryAt = chunks.start() + 16 + (int) (chunk - 1) * chunkBytes;
                long offset = chunkBytes == 4 ? Integer.toUnsignedLong(moov.getInt(entryAt)) : moov.getLong(entryAt);
                for (long k = 0; k < perChunk && sample < sizes.length; k++) {
                    if (offset < 0 || offset > fileSize - sizes[sample]) {
                        throw new IOException("sample " + sample + " of " + sizes[sample] + " bytes at " + offset
                            + " lies beyond the file of " + fileSize + " bytes");
                    }
                    offsets[sample] = offset;
                    offset += sizes[sample++];
                }
            }
        }
        if (sample < sizes.length) {
            throw new IOException("stsc and " + chunks.type() + " place " + sample + " of " + sizes.length
                + " samples");
        }
        return offsets;
    }

    /**
     * Fills the decoding times and composition offsets in ms, shifted by {@code shift} (timescale units); returns
     * the summed sample durations.
     */
    private static long times(ByteBuffer moov, BoxRange stbl, int timescale, long shift, int[] dts, int[] cts)
            throws IOException {
        BoxRange stts = child(moov, stbl, "stts");
        long runs = entries(moov, stts, 8);
        BoxRange ctts = BoxRange.first(moov, stbl.start() + 8, stbl.end(), "ctts");
        long offsetRuns = ctts == null ? 0 : entries(moov, ctts, 8);
        int sample = 0;
        long time = 0;
        int offsetRun = 0;
        long offsetLeft = 0;
        long offset = 0;
        for (int run = 0; run < runs && sample < dts.length; run++) {
            int at = stts.start() + 16 + 8 * run;
            long samples = Integer.toUnsignedLong(moov.getInt(at));
            long delta = Integer.toUnsignedLong(moov.getInt(at + 4));
            for (long k = 0; k < samples && sample < dts.length; k++) {
                while (offsetLeft == 0 && offsetRun < offsetRuns) {
                    int entryAt = ctts.start() + 16 + 8 * offsetRun++;
                    offsetLeft = Integer.toUnsignedLong(moov.getInt(entryAt));
                    offset = moov.getInt(entryAt + 4);
                }
                if (offsetLeft == 0) {
                    offset = 0;
                } else {
                    offsetLeft--;
                }
                int decode = ms(time + shift, timescale);
                int composition = ms(time + shift + offset, timescale) - decode;
                if (Math.abs(composition) > MAX_CTS) {
                    throw new IOException("sample " + sample + " has a composition offset of " + composition + " ms");
                }
                dts[sample] = decode;
                cts[sample++] = composition;
                time += delta;
            }
        }
        if (sample < dts.length) {
            throw new IOException("stts gives times to " + sample + " of " + dts.length + " samples");
        }
        return time;
    }

    private static int[] sync(ByteBuffer moov, BoxRange stbl, int count) throws IOException {
        BoxRange stss = BoxRange.first(moov, stbl.start() + 8, stbl.end(), "stss");
        if (stss == null) {
            return null;
        }
        long entries = entries(moov, stss, 4);
        int[] sync = new int[(int) entries];
        for (int i = 0; i < sync.length; i++) {
            long number = Integer.toUnsignedLong(moov.getInt(stss.start() + 16 + 4 * i));
            if (number < 1 || number > count || i > 0 && number - 1 <= sync[i - 1]) {
                throw new IOException("stss entry " + i + " names sample " + number + " of " + count);
            }
            sync[i] = (int) number - 1;
        }
        return sync;
    }

    /**
     * The offset the track's edit list puts its media times at, in its timescale: leading empty edits delay it, the
     * first edit's media time is where presentation starts.
     */
    private static long editShift(ByteBuffer moov, BoxRange trak, long timescale, long movieTimescale)
            throws IOException {
        BoxRange edts = BoxRange.first(moov, trak.start() + 8, trak.end(), "edts");
        BoxRange elst = edts == null ? null : BoxRange.first(moov, edts.start() + 8, edts.end(), "elst");
        if (elst == null) {
            return 0;
        }
        boolean wide = version(moov, need(elst, 16)) == 1;
        long edits = entries(moov, elst, wide ? 20 : 12);
        long empty = 0;
        for (int i = 0; i < edits; i++) {
            int at = elst.start() + 16 + i * (wide ? 20 : 12);
            long duration = wide ? moov.getLong(at) : Integer.toUnsignedLong(moov.getInt(at));
            long mediaTime = wide ? moov.getLong(at + 8) : moov.getInt(at + 4);
            if (mediaTime != -1) {
                if (mediaTime < 0 || mediaTime > MAX_EDIT) {
                    throw new IOException("an edit from media time " + mediaTime);
                }
                return empty * timescale / movieTimescale - mediaTime;
            }
            empty += duration;
            if (duration < 0 || empty > MAX_EDIT) {
                throw new IOException("empty edits of " + empty + " in timescale " + movieTimescale);
            }
        }
        return 0;
    }

    /** Rounds {@code time} in {@code timescale} units to ms, failing beyond a 32-bit ms timestamp. */
    private static int ms(long time, long timescale) throws IOException {
        long ms;
        try {
            ms = Math.floorDiv(Math.addExact(Math.multiplyExact(time, 1000L), timescale / 2), timescale);
        } catch (ArithmeticException e) {
            ms = Long.MAX_VALUE;
        }
        if (ms > Integer.MAX_VALUE || ms < Integer.MIN_VALUE) {
            throw new IOException("a time of " + time + " in timescale " + timescale + " beyond 2^31 ms");
        }
        return (int) ms;
    }

    /** The entry count of a full box whose table of {@code entryBytes} entries follows it; checked to fit. */
    private static long entries(ByteBuffer moov, BoxRange box, int entryBytes) throws IOException {
        long count = Integer.toUnsignedLong(moov.getInt(need(box, 16).start() + 12));
        need(box, 16 + count * entryBytes);
        return count;
    }

    private static BoxRange child(ByteBuffer moov, BoxRange parent, String type) throws IOException {
        BoxRange child = BoxRange.first(moov, parent.start() + 8, parent.end(), type);
        if (child == null) {
            throw new IOException("no " + type + " in " + parent.type());
        }
        return child;
    }

    private static int version(ByteBuffer moov, BoxRange box) {
        return moov.get(box.start() + 8) & 0xff;
    }

    private static BoxRange need(BoxRange box, long bytes) throws IOException {
        if (box.size() < bytes) {
            throw new IOException("a " + box.type() + " of " + box.size() + " bytes, not " + bytes);
        }
        return box;
    }
}
