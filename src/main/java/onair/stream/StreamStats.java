package onair.stream;

import onair.media.Codec;
import onair.media.MediaFrame;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A snapshot of one live stream's statistics, measured in the hub's fan-out (rates over a
 * {@link Bandwidth#WINDOW_SECONDS}-second window) and read from the sequence headers and {@code onMetaData}.
 *
 * @param ageMillis          milliseconds since the stream was created
 * @param bytesOut           payload bytes handed to subscribers (before any drop for a slow one)
 * @param bitrateIn          bits per second received from the publisher; likewise out, audio, video
 * @param fps                video frames per second received
 * @param keyframeInterval   seconds between the last two video keyframes, 0 before two
 * @param avDriftMillis      last audio timestamp minus last video timestamp (nginx-rtmp's {@code avsync})
 * @param timestamp          the last timestamp delivered, in milliseconds
 * @param droppedFrames      frames dropped for slow subscribers since the stream was created
 * @param tracks             every track a sequence header announced, track 0 first, then those of an Enhanced RTMP
 *                           v2 multitrack publish in the order they appeared
 */
public record StreamStats(long ageMillis, boolean live, long framesIn, long bytesIn, long bytesOut, long bitrateIn,
        long bitrateOut, long bitrateAudio, long bitrateVideo, double fps, double keyframeInterval, int avDriftMillis,
        long timestamp, long timestampRepairs, long droppedFrames, Video video, Audio audio, List<Track> tracks) {

    public StreamStats {
        tracks = List.copyOf(tracks);
    }

    /**
     * One audio or video track as its latest sequence header describes it.
     *
     * @param id     the track id (0 for a plain stream's tracks)
     * @param codecs the RFC 6381 codecs string ({@code avc1.64001f}, {@code hvc1.1.6.L93.B0}, {@code mp4a.40.2}),
     *               empty when the header is not one Onair reads
     * @param width  the coded picture size from the sequence parameter set; 0 for audio or when unknown
     */
    public record Track(int id, MediaFrame.Kind kind, Codec codec, String codecs, int width, int height) {

        /** The track as the stat JSON and {@code /api/streams} list it: id, kind, codec, codecs and a video size. */
        public Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("kind", kind.name().toLowerCase(Locale.ROOT));
            json.put("codec", codec.nginxName());
            json.put("codecs", codecs);
            if (kind == MediaFrame.Kind.VIDEO) {
                json.put("width", width);
                json.put("height", height);
            }
            return json;
        }
    }

    /**
     * The video track: {@code codec} is {@link Codec#NONE} before the first video tag; profile, compatibility and
     * level come from an AVC configuration record; size and frame rate from
     * {@code onMetaData} (0 when absent).
     */
    public record Video(Codec codec, int profile, int compat, int level, int width, int height, double frameRate) {

        /** nginx-rtmp's name of the codec ("H264"), or Onair's for codecs it does not know ("HEVC", "AV1"). */
        public String codecName() {
            return codec.nginxName();
        }

        /** nginx-rtmp's name of the AVC profile, empty when unknown. */
        public String profileName() {
            return switch (profile) {
                case 66 -> "Baseline";
                case 77 -> "Main";
                case 100 -> "High";
                default -> "";
            };
        }
    }

    /**
     * The audio track: {@code codec} as for video; {@code objectType} the AAC audio object type (2 = LC) with the SBR
     * and PS flags of HE-AAC; channels and sample rate from the AudioSpecificConfig or the FLV audio header.
     */
    public record Audio(Codec codec, int objectType, boolean sbr, boolean ps, int channels, int sampleRate) {

        /** nginx-rtmp's name of the codec ("AAC"), empty when unknown. */
        public String codecName() {
            return codec.nginxName();
        }

        /** nginx-rtmp's name of the AAC profile ("LC", "HE", "HEv2"), empty when unknown. */
        public String profileName() {
            return switch (objectType) {
                case 1 -> "Main";
                case 2 -> ps ? "HEv2" : sbr ? "HE" : "LC";
                case 3 -> "SSR";
                case 4 -> "LTP";
                case 5 -> "SBR";
                default -> "";
            };
        }
    }
}
