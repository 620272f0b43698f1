package onair.mp4;

import onair.media.AudioSpecificConfig;
import onair.media.Codec;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The first sample entry of a track's {@code stsd} (ISO/IEC 14496-12 §8.5.2, §12.1.3, §12.2.3) when it is one Onair
 * plays: {@code avc1}/{@code avc3} with an {@code avcC} (ISO/IEC 14496-15 §5.4), {@code hvc1}/{@code hev1} with an
 * {@code hvcC} (§8.4), or {@code mp4a} whose {@code esds} (ISO/IEC 14496-1 §7.2.6.5) names AAC.
 *
 * @param config the decoder configuration: the avcC or hvcC body, or the AudioSpecificConfig
 */
record SampleEntry(Codec codec, byte[] config, int width, int height, int sampleRate, int channels) {

    private static final int VISUAL_CHILDREN = 86;
    private static final int AUDIO_CHILDREN = 36;
    private static final int ES_DESCRIPTOR = 0x03;
    private static final int DECODER_CONFIG = 0x04;
    private static final int DECODER_SPECIFIC_INFO = 0x05;
    private static final int MPEG4_AUDIO = 0x40;
    private static final int MPEG2_AAC_FIRST = 0x66;
    private static final int MPEG2_AAC_LAST = 0x68;

    /** The first entry of {@code stsd}, or null when it is not H.264, HEVC or AAC. */
    static SampleEntry read(ByteBuffer moov, BoxRange stsd) throws IOException {
        if (stsd.size() < 16) {
            throw new IOException("an stsd of " + stsd.size() + " bytes");
        }
        BoxRange entry = BoxRange.children(moov, stsd.start() + 16, stsd.end()).stream().findFirst().orElse(null);
        if (entry == null) {
            return null;
        }
        return switch (entry.type()) {
            case "avc1", "avc3" -> visual(moov, entry, Codec.H264, "avcC");
            case "hvc1", "hev1" -> visual(moov, entry, Codec.HEVC, "hvcC");
            case "mp4a" -> audio(moov, entry);
            default -> null;
        };
    }

    private static SampleEntry visual(ByteBuffer moov, BoxRange entry, Codec codec, String configType)
            throws IOException {
        if (entry.size() < VISUAL_CHILDREN) {
            throw new IOException("a " + entry.type() + " sample entry of " + entry.size() + " bytes");
        }
        BoxRange config = BoxRange.first(moov, entry.start() + VISUAL_CHILDREN, entry.end(), configType);
        if (config == null || config.size() <= 8) {
            return null;
        }
        byte[] record = new byte[config.size() - 8];
        moov.get(config.start() + 8, record);
        return new SampleEntry(codec, record, Short.toUnsignedInt(moov.getShort(entry.start() + 32)),
            Short.toUnsignedInt(moov.getShort(entry.start() + 34)), 0, 0);
    }

    private static SampleEntry audio(ByteBuffer moov, BoxRange entry) throws IOException {
        if (entry.size() < AUDIO_CHILDREN) {
            throw new IOException("an mp4a sample entry of " + entry.size() + " bytes");
        }
        int version = Short.toUnsignedInt(moov.getShort(entry.start() + 16));
        int children = entry.start() + AUDIO_CHILDREN + (version == 1 ? 16 : version == 2 ? 36 : 0);
        BoxRange esds = BoxRange.first(moov, Math.min(children, entry.end()), entry.end(), "esds");
        byte[] asc = esds == null ? null : audioSpecificConfig(moov, esds.start() + 12, esds.end());
        if (asc == null) {
            return null;
        }
        int channels = Short.toUnsignedInt(moov.getShort(entry.start() + 24));
        int sampleRate = moov.getInt(entry.start() + 32) >>> 16;
        try {
            AudioSpecificConfig parsed = AudioSpecificConfig.parse(asc);
            sampleRate = parsed.samplingFrequency();
            channels = parsed.channelConfiguration() == 0 ? channels : parsed.channelConfiguration();
        } catch (RuntimeException e) {
            throw new IOException("an unreadable AudioSpecificConfig: " + e.getMessage());
        }
        return new SampleEntry(Codec.AAC, asc, 0, 0, sampleRate, channels);
    }

    /** The DecoderSpecificInfo of an AAC ES_Descriptor between {@code from} and {@code to}; null for another codec. */
    private static byte[] audioSpecificConfig(ByteBuffer moov, int from, int to) throws IOException {
        int[] es = descriptor(moov, from, to, ES_DESCRIPTOR);
        if (es == null) {
            return null;
        }
        int at = es[0];
        int end = es[1];
        int flags = need(moov, at, 3, end).get(at + 2) & 0xff;
        at += 3;
        if ((flags & 0x80) != 0) {
            at += 2;
        }
        if ((flags & 0x40) != 0) {
            at += 1 + (need(moov, at, 1, end).get(at) & 0xff);
        }
        if ((flags & 0x20) != 0) {
            at += 2;
        }
        int[] config = descriptor(moov, at, end, DECODER_CONFIG);
        if (config == null) {
            return null;
        }
        int objectType = need(moov, config[0], 13, config[1]).get(config[0]) & 0xff;
        if (objectType != MPEG4_AUDIO && (objectType < MPEG2_AAC_FIRST || objectType > MPEG2_AAC_LAST)) {
            return null;
        }
        int[] info = descriptor(moov, config[0] + 13, config[1], DECODER_SPECIFIC_INFO);
        if (info == null || info[1] == info[0]) {
            return null;
        }
        byte[] asc = new byte[info[1] - info[0]];
        moov.get(info[0], asc);
        return asc;
    }

    /**
     * The first descriptor of {@code tag} from {@code at} to {@code end} (tag byte, then a size of up to four 7-bit
     * bytes): the start and end of its body, or null when another tag comes first.
     */
    private static int[] descriptor(ByteBuffer moov, int at, int end, int tag) throws IOException {
        if (at >= end || (moov.get(at) & 0xff) != tag) {
            return null;
        }
        int length = 0;
        int p = at + 1;
        for (int i = 0; ; i++) {
            if (i == 4) {
                throw new IOException("an esds descriptor size of more than 4 bytes");
            }
            int b = need(moov, p, 1, end).get(p++) & 0xff;
            length = length << 7 | b & 0x7f;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (length > end - p) {
            throw new IOException("an esds descriptor of " + length + " bytes in " + (end - p));
        }
        return new int[] {p, p + length};
    }

    private static ByteBuffer need(ByteBuffer moov, int at, int bytes, int end) throws IOException {
        if (at + bytes > end) {
            throw new IOException("an esds cut short");
        }
        return moov;
    }
}
