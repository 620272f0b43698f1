package onair.dash;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A live MPEG-DASH manifest (ISO/IEC 23009-1, {@code type="dynamic"}, the isoff-live profile): a video adaptation set
 * of a representation per rendition and an audio one of one representation, each addressed by a
 * {@code SegmentTemplate} with {@code $Time$} and a
 * {@code SegmentTimeline}, and a {@code UTCTiming} clock source.
 *
 * @param availabilityStart the wall-clock time of media time 0, fixed for a publication
 * @param minimumUpdatePeriod how often players reload it
 * @param timeShiftBufferDepth the window of segments it lists
 * @param videos            the video renditions, none for an audio-only stream
 * @param audio             null for a video-only stream
 * @param duration          null while live; the presentation's length once the publication has ended
 */
record Mpd(Instant availabilityStart, Instant publishTime, Duration minimumUpdatePeriod, Duration minBufferTime,
           Duration timeShiftBufferDepth, Duration suggestedPresentationDelay, List<Track> videos, Track audio,
           UtcTiming timing, Duration duration) {

    /** One segment of a track's timeline, in the track's timescale. */
    record Segment(long time, long duration) {}

    /** A {@code UTCTiming} element: its scheme and the URI of the time source. */
    record UtcTiming(String scheme, String value) {}

    Mpd {
        videos = List.copyOf(videos);
    }

    /**
     * One track as one representation.
     *
     * @param id             the representation's id
     * @param codecs         the RFC 6381 codecs string
     * @param timescale      the units of {@code timeline} (the track's MP4 timescale)
     * @param initialization the init segment's URI, relative to the manifest
     * @param media          the media segments' URI template with {@code $Time$}
     * @param frameRate      video only, null if unknown
     * @param sampleRate     audio only
     */
    record Track(String id, String codecs, long bandwidth, int timescale, String initialization, String media,
                 List<Segment> timeline, int width, int height, String frameRate, int sampleRate, int channels) {

        Track {
            Objects.requireNonNull(codecs, "codecs");
            timeline = List.copyOf(timeline);
        }

        static Track video(String id, String codecs, long bandwidth, int width, int height, String frameRate,
                           String initialization, String media, List<Segment> timeline) {
            return new Track(id, codecs, bandwidth, 90_000, initialization, media, timeline, width, height, frameRate,
                0, 0);
        }

        static Track audio(String codecs, long bandwidth, int sampleRate, int channels, String initialization,
                           String media, List<Segment> timeline) {
            return new Track("audio", codecs, bandwidth, sampleRate, initialization, media, timeline, 0, 0, null,
                sampleRate,
                channels);
        }
    }

    /** The manifest's XML text. */
    String xml() {
        StringBuilder out = new StringBuilder(2048);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"dynamic\"")
            .append(" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\"")
            .append("\n    availabilityStartTime=\"").append(dateTime(availabilityStart)).append('"')
            .append("\n    publishTime=\"").append(dateTime(publishTime)).append('"');
        if (duration == null) {
            out.append("\n    minimumUpdatePeriod=\"").append(duration(minimumUpdatePeriod)).append('"');
        } else {
            out.append("\n    mediaPresentationDuration=\"").append(duration(duration)).append('"');
        }
        out.append("\n    minBufferTime=\"").append(duration(minBufferTime)).append('"')
            .append("\n    timeShiftBufferDepth=\"").append(duration(timeShiftBufferDepth)).append('"')
            .append("\n    suggestedPresentationDelay=\"").append(duration(suggestedPresentationDelay)).append("\">\n")
            .append("  <Period id=\"0\" start=\"PT0S\">\n");
        if (!videos.isEmpty()) {
            out.append("    <AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\"")
                .append(" segmentAlignment=\"true\" startWithSAP=\"1\">\n");
            for (Track video : videos) {
                out.append("      <Representation id=\"").append(escape(video.id())).append("\" codecs=\"")
                    .append(escape(video.codecs())).append('"').append(" bandwidth=\"").append(video.bandwidth())
                    .append('"');
                if (video.width() > 0 && video.height() > 0) {
                    out.append(" width=\"").append(video.width()).append("\" height=\"").append(video.height())
                        .append("\" sar=\"1:1\"");
                }
                if (video.frameRate() != null) {
                    out.append(" frameRate=\"").append(video.frameRate()).append('"');
                }
                out.append(">\n");
                template(out, video);
                out.append("      </Representation>\n");
            }
            out.append("    </AdaptationSet>\n");
        }
        if (audio != null) {
            out.append("    <AdaptationSet id=\"1\" contentType=\"audio\" mimeType=\"audio/mp4\"")
                .append(" segmentAlignment=\"true\" startWithSAP=\"1\" lang=\"und\">\n")
                .append("      <Representation id=\"audio\" codecs=\"").append(escape(audio.codecs())).append('"')
                .append(" bandwidth=\"").append(audio.bandwidth()).append('"')
                .append(" audioSamplingRate=\"").append(audio.sampleRate()).append("\">\n")
                .append("        <AudioChannelConfiguration")
                .append(" schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"")
                .append(audio.channels()).append("\"/>\n");
            template(out, audio);
            out.append("      </Representation>\n    </AdaptationSet>\n");
        }
        out.append("  </Period>\n");
        if (timing != null) {
            out.append("  <UTCTiming schemeIdUri=\"").append(escape(timing.scheme())).append("\" value=\"")
                .append(escape(timing.value())).append("\"/>\n");
        }
        return out.append("</MPD>\n").toString();
    }

    private static void template(StringBuilder out, Track track) {
        out.append("        <SegmentTemplate timescale=\"").append(track.timescale()).append('"')
            .append(" initialization=\"").append(escape(track.initialization())).append('"')
            .append(" media=\"").append(escape(track.media())).append("\">\n")
            .append("          <SegmentTimeline>\n");
        for (Segment segment : track.timeline()) {
            out.append("            <S t=\"").append(segment.time()).append("\" d=\"").append(segment.duration())
                .append("\"/>\n");
        }
        out.append("          </SegmentTimeline>\n        </SegmentTemplate>\n");
    }

    /** An {@code xs:dateTime} in UTC, to the millisecond. */
    static String dateTime(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** An {@code xs:duration} in seconds, to the millisecond. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? "PT" + millis / 1000 + "S"
            : String.format(Locale.ROOT, "PT%d.%03dS", millis / 1000, millis % 1000);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
