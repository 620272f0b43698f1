package onair.dash;

import io.netty.buffer.ByteBuf;
import onair.config.HlsConfig;
import onair.hls.CmafPlaylists;
import onair.hls.Tracks;
import onair.media.Codec;
import onair.mp4.Fmp4Muxer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One video track of a DASH stream: track 0, or another rendition of an Enhanced RTMP v2 multitrack publish. It has
 * its decoder configuration, the muxer of the open fragment, its init segment and its window; a rendition other than
 * track 0 starts each fragment at its own keyframe, so its segments line up with track 0's where the GOPs do.
 */
final class VideoRendition {

    private final int track;
    private final DashOutput.Layout layout;
    private final String extension;
    private final Tracks config = new Tracks();
    private final TrackWindow window;
    private Fmp4Muxer muxer;
    private byte[] init;
    private boolean initFresh;
    private boolean waitKeyframe;
    private long first = -1;
    private int samples;
    private long last;
    private boolean added;

    /** @param layout the stream's layout; a rendition other than track 0 names its files {@code vN-…} within it */
    VideoRendition(int track, DashOutput.Layout layout, String extension, Duration playlistLength) {
        this.track = track;
        this.layout = track == 0 ? layout : layout.rendition("v" + track + "-");
        this.extension = extension;
        this.window = new TrackWindow(this.layout, extension, 90_000, playlistLength);
    }

    void configure(Codec codec, byte[] record) {
        config.configureVideo(codec, record);
    }

    boolean configured() {
        return config.hasVideo();
    }

    /**
     * At a fragment's start at {@code time}, or once configured in an open fragment: a muxer for the configuration as
     * it is now (a new init if it changed); with {@code awaitKeyframe} its samples start at its next keyframe.
     */
    void open(long time, boolean awaitKeyframe) {
        last = time;
        waitKeyframe = awaitKeyframe;
        if (!config.hasVideo()) {
            muxer = null;
            return;
        }
        Fmp4Muxer.Video video = new Fmp4Muxer.Video(config.videoCodec() == Codec.HEVC, config.videoRecord(),
            config.width(), config.height());
        if (muxer == null || !muxer.describes(video, null)) {
            muxer = new Fmp4Muxer(video, null);
            init = muxer.initialization();
            initFresh = true;
        }
    }

    /** Adds a sample to the open fragment (a rendition's samples before its first keyframe in it are dropped). */
    void sample(long dts, long pts, boolean keyframe, ByteBuf sample) {
        if (muxer == null || waitKeyframe && !keyframe) {
            return;
        }
        waitKeyframe = false;
        muxer.video(dts, pts, keyframe, sample);
        if (first < 0) {
            first = dts;
        }
        samples++;
        config.videoSampled(dts);
        last = Math.max(last, dts);
    }

    boolean hasMuxer() {
        return muxer != null;
    }

    long bytes() {
        return muxer == null ? 0 : muxer.bytes();
    }

    /** The end of the rendition's last sample, for a fragment closed when the publication ends. */
    long end() {
        return samples > 0 ? last + Math.max(0, config.videoFrameTime()) : last;
    }

    /** Closes its segment of fragment {@code sequence} ending at {@code end} into {@code files}, if it has samples. */
    void close(long sequence, long end, List<DashWriter.File> files) {
        added = muxer != null && samples > 0;
        if (added) {
            byte[] bytes = muxer.segment(sequence, end);
            if (initFresh) {
                files.add(new DashWriter.File(layout.dir().resolve(layout.init(extension)), init));
            }
            files.add(new DashWriter.File(window.add(new Mpd.Segment(first, Math.max(1, end - first)), bytes.length,
                samples), bytes));
        }
        first = -1;
        samples = 0;
    }

    /**
     * After the fragment's files were queued ({@code written}) or refused: forgets the {@code expired} files, or
     * takes the segment back; with {@code keepInit} the init segment is written again with the next one.
     */
    void closed(boolean written, List<Path> expired, boolean keepInit) {
        if (written) {
            initFresh &= !added || keepInit;
            window.forget(expired);
        } else if (added) {
            window.dropLast();
        }
    }

    List<Path> expired(long now) {
        return window.expired(now);
    }

    /** Every file of the rendition that may still be on disk, its init segment and HLS playlist included. */
    List<Path> files() {
        List<Path> files = new ArrayList<>(window.files());
        files.add(layout.dir().resolve(layout.init(extension)));
        files.add(hlsPlaylist());
        return files;
    }

    boolean listed() {
        return muxer != null && !window.isEmpty();
    }

    Mpd.Track manifest() {
        return Mpd.Track.video(track == 0 ? "video" : "video" + track, config.videoCodecString(), window.bandwidth(),
            config.width(), config.height(), window.frameRate(), layout.init(extension), layout.media(extension),
            window.timeline());
    }

    Path hlsPlaylist() {
        return layout.hlsMedia("video");
    }

    /** Its HLS media playlist's text. */
    String hlsMedia(HlsConfig hls, boolean ended) {
        return CmafPlaylists.media(layout.init(extension), window.hlsSegments(), hls, ended);
    }

    CmafPlaylists.Track hlsTrack() {
        return new CmafPlaylists.Track(hlsPlaylist().getFileName().toString(), config.videoCodecString(),
            window.bandwidth(), config.width(), config.height());
    }
}
