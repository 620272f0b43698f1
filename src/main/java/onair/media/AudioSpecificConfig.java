package onair.media;

/**
 * An MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), the body of an AAC sequence header, and the ADTS header
 * (§1.A.2.2) that frames one raw AAC frame in MPEG-TS.
 *
 * @param objectType             the core audio object type (2 = AAC LC), after any explicit SBR/PS signalling
 * @param samplingFrequencyIndex 0–12, or 15 when the frequency is explicit
 * @param samplingFrequency      the core sampling frequency in Hz
 * @param channelConfiguration   0–7 (0: defined in the stream)
 * @param signalledObjectType    the object type as signalled first: 5 (SBR) or 29 (PS) for explicit HE-AAC
 */
public record AudioSpecificConfig(int objectType, int samplingFrequencyIndex, int samplingFrequency,
                                  int channelConfiguration, int signalledObjectType) {

    private static final int[] FREQUENCIES = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
    };
    private static final int EXPLICIT = 15;
    private static final int ADTS_HEADER = 7;
    private static final int MAX_ADTS_FRAME = 0x1fff;

    /** Parses the fields up to the channel configuration; the GASpecificConfig and later fields are not read. */
    public static AudioSpecificConfig parse(byte[] config) {
        BitReader in = new BitReader(config, "AudioSpecificConfig");
        int signalled = objectType(in);
        int frequencyIndex = in.u(4);
        int frequency = frequency(in, frequencyIndex);
        int channels = in.u(4);
        if (channels > 7) {
            throw new MediaFormatException("AudioSpecificConfig channel configuration " + channels);
        }
        int core = signalled;
        if (signalled == 5 || signalled == 29) {
            frequency(in, in.u(4));
            core = objectType(in);
        }
        return new AudioSpecificConfig(core, frequencyIndex, frequency, channels, signalled);
    }

    /** The codec string for an HLS {@code CODECS} attribute, e.g. {@code mp4a.40.2}. */
    public String codecString() {
        return "mp4a.40." + signalledObjectType;
    }

    /** Whether {@link #adtsHeader} can frame this stream: object types 1–4 with a tabled sampling frequency. */
    public boolean adtsCompatible() {
        return objectType >= 1 && objectType <= 4 && samplingFrequencyIndex != EXPLICIT;
    }

    /** The 7-byte ADTS header (no CRC) for a raw frame of {@code rawLength} bytes. */
    public byte[] adtsHeader(int rawLength) {
        if (!adtsCompatible()) {
            throw new MediaFormatException("ADTS cannot carry object type " + objectType + " at "
                + samplingFrequency + " Hz");
        }
        int length = rawLength + ADTS_HEADER;
        if (rawLength < 0 || length > MAX_ADTS_FRAME) {
            throw new MediaFormatException("AAC frame of " + rawLength + " bytes is too long for ADTS");
        }
        return new byte[] {
            (byte) 0xff,
            (byte) 0xf1,
            (byte) (((objectType - 1) << 6) | (samplingFrequencyIndex << 2) | (channelConfiguration >> 2)),
            (byte) (((channelConfiguration & 3) << 6) | (length >> 11)),
            (byte) (length >> 3),
            (byte) (((length & 7) << 5) | 0x1f),
            (byte) 0xfc,
        };
    }

    private static int objectType(BitReader in) {
        int type = in.u(5);
        return type == 31 ? 32 + in.u(6) : type;
    }

    private static int frequency(BitReader in, int index) {
        if (index == EXPLICIT) {
            int explicit = in.u(24);
            if (explicit == 0) {
                throw new MediaFormatException("AudioSpecificConfig sampling frequency 0");
            }
            return explicit;
        }
        if (index >= FREQUENCIES.length) {
            throw new MediaFormatException("AudioSpecificConfig sampling frequency index " + index);
        }
        return FREQUENCIES[index];
    }
}
