package onair.dash;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import onair.config.DashConfig;
import onair.config.HlsConfig;
import onair.hls.CmafPlaylists;
import onair.hls.Tracks;
import onair.media.AudioSpecificConfig;
import onair.media.Codec;
import onair.media.MediaFormatException;
import onair.media.MediaFrame;
import onair.media.TagHeader;
import onair.mp4.Fmp4Muxer;
import onair.stream.StreamKey;
import onair.stream.Subscriber;
import onair.stream.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One publication written as MPEG-DASH: a subscriber that reads its H.264 or HEVC and AAC frames on the publisher's
 * thread, cuts fragments as nginx-rtmp's dash module does (at the first video keyframe, or audio frame of an
 * audio-only stream, once a fragment lasts {@code dash_fragment}; at any frame past ten times that), muxes each track
 * into its own fragmented MP4 with the shared {@link Fmp4Muxer}, and has the segments and the manifest written; with
 * HLS over these segments, HLS media playlists per track and a master playlist beside the manifest too, and the init
 * segments again with each fragment, so that an {@code hls_cleanup} sweep of the directory sees them in use.
 */
final class DashStream implements Subscriber {

    private static final Logger log = LoggerFactory.getLogger(DashStream.class);
    private static final long MAX_FRAGMENT_BYTES = 64L << 20;
    private static final int AAC_FRAME_SAMPLES = 1024;
    /** Video tracks 0 … {@code MAX_TRACK - 1} of a multitrack publish are renditions; a track id is one byte. */
    static final int MAX_TRACK = 16;

    private final StreamKey key;
    private final DashConfig config;
    private final DashWriter writer;
    private final DashOutput.Layout layout;
    private final Mpd.UtcTiming timing;
    private final HlsConfig hls;
    private final Runnable ended;
    /** nginx-rtmp's {@code m4v}, or {@code mp4} under HLS playlists: ffmpeg's HLS reader refuses {@code .m4v}. */
    private final String videoExtension;
    private final Tracks tracks = new Tracks();
    private final long fragment;
    private final VideoRendition[] videos = new VideoRendition[MAX_TRACK];
    private TrackWindow audioWindow;
    private Fmp4Muxer audioMuxer;
    private byte[] audioInit;
    private boolean audioInitFresh;
    private Instant availabilityStart;
    private boolean open;
    private long start;
    private long lastTime;
    private long sequence;
    private long audioFirst = -1;
    private int audioSamples;
    private volatile Subscription subscription;
    private boolean badInputLogged;
    private boolean unsupportedAudio;
    private boolean stopped;

    /**
     * @param hls   the application's HLS settings when HLS playlists are written over these segments, else null
     * @param ended run once when the stream stops being written
     */
    DashStream(StreamKey key, DashConfig config, DashWriter writer, DashOutput.Layout layout, Mpd.UtcTiming timing,
            HlsConfig hls, Runnable ended) {
        this.key = key;
        this.config = config;
        this.writer = writer;
        this.layout = layout;
        this.timing = timing;
        this.hls = hls;
        this.ended = ended;
        this.fragment = config.fragment().toMillis() * 90;
        this.videoExtension = hls == null ? "m4v" : "mp4";
        this.videos[0] = new VideoRendition(0, layout, videoExtension, config.playlistLength());
    }

    void attach(Subscription subscription) {
        this.subscription = subscription;
    }

    @Override
    public void onFrame(MediaFrame frame) {
        try {
            if (stopped) {
                return;
            }
            if (frame.isVideo()) {
                video(frame);
            } else if (frame.isAudio() && frame.track() == 0) {
                audio(frame);
            }
        } catch (MediaFormatException e) {
            if (!badInputLogged) {
                badInputLogged = true;
                log.warn("dash {}: {}; such frames are skipped (further ones not logged)", key, e.getMessage());
            }
        } catch (RuntimeException e) {
            log.error("dash {}: stopped writing this publication: {}", key, e.toString());
            abandon();
        } finally {
            frame.release();
        }
    }

    @Override
    public boolean multitrack() {
        return true;
    }

    @Override
    public void onPublishStart() {
    }

    @Override
    public void onPublishStop() {
        if (stopped) {
            return;
        }
        if (open) {
            close(videos[0].hasMuxer() ? videos[0].end() : lastTime, true);
        }
        if (config.cleanup()) {
            List<Path> files = new ArrayList<>();
            for (VideoRendition video : videos) {
                if (video != null) {
                    files.addAll(video.files());
                }
            }
            if (audioWindow != null) {
                files.addAll(audioWindow.files());
            }
            files.add(layout.dir().resolve(layout.init("m4a")));
            files.add(layout.manifest());
            if (hls != null) {
                files.addAll(List.of(layout.hlsMaster(), layout.hlsMedia("audio")));
            }
            writer.remove(layout.manifest(), files, layout.nested() ? layout.dir() : null, config.playlistLength());
        }
        abandon();
    }

    private void abandon() {
        if (!stopped) {
            ended.run();
        }
        stopped = true;
        Arrays.fill(videos, null);
        audioMuxer = null;
        Subscription own = subscription;
        if (own != null) {
            own.close();
        }
    }

    private void video(MediaFrame frame) {
        ByteBuf body = frame.payload();
        TagHeader header = frame.header();
        int track = frame.track();
        if (header.signal() || header.dataOffset() < 0 || track < 0 || track >= MAX_TRACK) {
            return;
        }
        int dataAt = body.readerIndex() + header.dataOffset();
        VideoRendition video = videos[track];
        if (header.sequenceHeader()) {
            boolean opening = video == null || !video.hasMuxer();
            if (video == null) {
                video = videos[track] = new VideoRendition(track, layout, videoExtension, config.playlistLength());
            }
            video.configure(header.codec(), ByteBufUtil.getBytes(body, dataAt, body.writerIndex() - dataAt));
            if (open && opening) {
                video.open(start, true);
            }
            return;
        }
        if (video == null || !video.configured()) {
            return;
        }
        long dts = Integer.toUnsignedLong(frame.timestamp()) * 90;
        long pts = dts + header.compositionTime() * 90L;
        boolean keyframe = header.keyframe();
        if (track == 0 ? !cut(dts, keyframe) : !open) {
            return;
        }
        ByteBuf sample = body.retainedSlice(dataAt, body.writerIndex() - dataAt);
        try {
            video.sample(dts, pts, keyframe, sample);
        } finally {
            sample.release();
        }
        lastTime = Math.max(lastTime, dts);
    }

    private void audio(MediaFrame frame) {
        ByteBuf body = frame.payload();
        TagHeader header = frame.header();
        if (body.readableBytes() < 2) {
            return;
        }
        if (header.codec() != Codec.AAC) {
            if (!unsupportedAudio) {
                unsupportedAudio = true;
                throw new MediaFormatException("audio codec " + header.codec() + " is not supported in DASH");
            }
            return;
        }
        int dataAt = body.readerIndex() + header.dataOffset();
        int length = body.writerIndex() - dataAt;
        if (header.dataOffset() < 0 || length <= 0) {
            return;
        }
        if (header.sequenceHeader()) {
            tracks.configureAudio(ByteBufUtil.getBytes(body, dataAt, length));
            return;
        }
        AudioSpecificConfig aac = tracks.aac();
        if (aac == null) {
            return;
        }
        long pts = Integer.toUnsignedLong(frame.timestamp()) * 90;
        if (!cut(pts, !videos[0].configured())) {
            return;
        }
        if (audioMuxer == null) {
            configureAudio();
        }
        ByteBuf sample = body.retainedSlice(dataAt, length);
        try {
            audioMuxer.audio(pts, sample);
        } finally {
            sample.release();
        }
        if (audioFirst < 0) {
            audioFirst = pts * aac.samplingFrequency() / 90_000;
        }
        audioSamples++;
        lastTime = Math.max(lastTime, pts);
    }

    /**
     * Before a frame at {@code time}, a {@code boundary} if it may start a fragment: closes and opens fragments as
     * due; returns whether a fragment is open to take the frame.
     */
    private boolean cut(long time, boolean boundary) {
        if (!open) {
            if (boundary) {
                open(time);
            }
            return open;
        }
        long duration = time - start;
        long bytes = audioMuxer == null ? 0 : audioMuxer.bytes();
        for (VideoRendition video : videos) {
            bytes += video == null ? 0 : video.bytes();
        }
        if (boundary && duration >= fragment || duration >= 10 * fragment || bytes > MAX_FRAGMENT_BYTES) {
            close(time, false);
            open(time);
        }
        return true;
    }

    private void open(long time) {
        if (availabilityStart == null) {
            availabilityStart = Instant.now().minusMillis(time / 90);
        }
        open = true;
        start = time;
        lastTime = time;
        for (int track = 0; track < MAX_TRACK; track++) {
            if (videos[track] != null) {
                videos[track].open(time, track != 0);
            }
        }
        configureAudio();
    }

    /** Makes the audio muxer for the AAC configuration as it is now (a new init segment when it changed). */
    private void configureAudio() {
        AudioSpecificConfig aac = tracks.aac();
        Fmp4Muxer.Audio sound = aac == null ? null : new Fmp4Muxer.Audio(tracks.audioRecord(),
            aac.samplingFrequency(), aac.channelConfiguration() == 0 ? 2 : aac.channelConfiguration());
        if (sound == null) {
            audioMuxer = null;
        } else if (audioMuxer == null || !audioMuxer.describes(null, sound)) {
            audioMuxer = new Fmp4Muxer(null, sound);
            audioInit = audioMuxer.initialization();
            audioInitFresh = true;
        }
    }

    private void close(long end, boolean ended) {
        open = false;
        List<DashWriter.File> files = new ArrayList<>();
        for (VideoRendition video : videos) {
            if (video != null) {
                video.close(sequence, end, files);
            }
        }
        boolean audioAdded = audioMuxer != null && audioSamples > 0;
        if (audioAdded) {
            byte[] bytes = audioMuxer.segment(sequence, end);
            int rate = tracks.aac().samplingFrequency();
            if (audioWindow == null || audioWindow.timescale() != rate) {
                audioWindow = new TrackWindow(layout, "m4a", rate, config.playlistLength());
            }
            if (audioInitFresh) {
                files.add(new DashWriter.File(layout.dir().resolve(layout.init("m4a")), audioInit));
            }
            files.add(new DashWriter.File(audioWindow.add(
                new Mpd.Segment(audioFirst, (long) audioSamples * AAC_FRAME_SAMPLES), bytes.length, audioSamples),
                bytes));
        }
        sequence++;
        audioFirst = -1;
        audioSamples = 0;
        if (hls != null) {
            hlsPlaylists(files, ended);
        }
        files.add(new DashWriter.File(layout.manifest(),
            manifest(ended ? Duration.ofMillis(end / 90) : null).getBytes(StandardCharsets.UTF_8)));
        List<Path> expired = new ArrayList<>();
        if (config.cleanup()) {
            for (VideoRendition video : videos) {
                if (video != null) {
                    expired.addAll(video.expired(end));
                }
            }
            if (audioWindow != null) {
                expired.addAll(audioWindow.expired(end));
            }
        }
        boolean written = writer.submit("fragment " + sequence + " of " + layout.manifest(), files, expired);
        for (VideoRendition video : videos) {
            if (video != null) {
                video.closed(written, expired, hls != null);
            }
        }
        if (written) {
            audioInitFresh &= !audioAdded || hls != null;
            if (audioWindow != null) {
                audioWindow.forget(expired);
            }
        } else {
            if (audioAdded) {
                audioWindow.dropLast();
            }
        }
    }

    /** Adds the HLS media playlists of the windows as they are now, and the master playlist over them. */
    private void hlsPlaylists(List<DashWriter.File> files, boolean ended) {
        List<CmafPlaylists.Track> listed = new ArrayList<>();
        for (VideoRendition video : videos) {
            if (video != null && video.listed()) {
                files.add(new DashWriter.File(video.hlsPlaylist(),
                    video.hlsMedia(hls, ended).getBytes(StandardCharsets.UTF_8)));
                listed.add(video.hlsTrack());
            }
        }
        CmafPlaylists.Track audio = null;
        if (audioMuxer != null && audioWindow != null && !audioWindow.isEmpty()) {
            files.add(new DashWriter.File(layout.hlsMedia("audio"), CmafPlaylists.media(layout.init("m4a"),
                audioWindow.hlsSegments(), hls, ended).getBytes(StandardCharsets.UTF_8)));
            audio = new CmafPlaylists.Track(layout.hlsMedia("audio").getFileName().toString(),
                tracks.aac().codecString(), audioWindow.bandwidth(), 0, 0);
        }
        if (!listed.isEmpty() || audio != null) {
            files.add(new DashWriter.File(layout.hlsMaster(),
                CmafPlaylists.master(listed, audio).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The manifest listing the windows as they are now; {@code duration} non-null once the publication ended. */
    private String manifest(Duration duration) {
        List<Mpd.Track> listed = new ArrayList<>();
        for (VideoRendition video : videos) {
            if (video != null && video.listed()) {
                listed.add(video.manifest());
            }
        }
        Mpd.Track audio = null;
        if (audioMuxer != null && audioWindow != null && !audioWindow.isEmpty()) {
            AudioSpecificConfig aac = tracks.aac();
            audio = Mpd.Track.audio(aac.codecString(), audioWindow.bandwidth(), aac.samplingFrequency(),
                aac.channelConfiguration() == 0 ? 2 : aac.channelConfiguration(), layout.init("m4a"),
                layout.media("m4a"), audioWindow.timeline());
        }
        Duration fragmentLength = config.fragment();
        Duration delay = fragmentLength.multipliedBy(2);
        if (delay.compareTo(config.playlistLength()) > 0) {
            delay = config.playlistLength();
        }
        return new Mpd(availabilityStart, Instant.now(), fragmentLength, fragmentLength, config.playlistLength(),
            delay, listed, audio, timing, duration).xml();
    }
}
