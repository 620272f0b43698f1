package onair.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import onair.media.MediaFrame;
import onair.media.PlainTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other video tracks of an Enhanced RTMP v2 multitrack publish as streams of their own, so that any player plays
 * one rendition: video track N is the stream {@code NAME/N}, its frames rewritten once as plain tags
 * ({@link PlainTag}) and shared by all its subscribers, with the publisher's track 0 audio beside them. A rendition
 * stream starts at its track's first frame, ends with the publication, and is not announced to the
 * {@link StreamObserver}s (no HLS or recording of its own). Fed by its source stream under the source's lock.
 */
final class Renditions {

    private static final Logger log = LoggerFactory.getLogger(Renditions.class);

    /** Video track ids 1 … {@code MAX_TRACK - 1} become renditions; a track id is one byte. */
    static final int MAX_TRACK = 16;

    private final StreamRegistry registry;
    private final StreamKey source;
    private final LiveOptions options;
    private final Publication[] tracks = new Publication[MAX_TRACK];
    private final boolean[] refused = new boolean[MAX_TRACK];

    Renditions(StreamRegistry registry, StreamKey source, LiveOptions options) {
        this.registry = registry;
        this.source = source;
        this.options = options;
    }

    /** The key of the rendition of video track {@code track} of {@code source}. */
    static StreamKey key(StreamKey source, int track) {
        return new StreamKey(source.app(), source.name() + "/" + track);
    }

    /**
     * Passes on what the renditions need of {@code frame} (the source keeps its reference): another video track's
     * frame to its rendition, track 0's audio to every rendition. {@code audioHeader} is track 0's latest audio
     * sequence header, sent first to a rendition that starts now.
     */
    void frame(MediaFrame frame, MediaFrame audioHeader) {
        int track = frame.track();
        if (frame.isAudio() && track == 0) {
            for (Publication publication : tracks) {
                if (publication != null) {
                    publication.send(frame.retain());
                }
            }
            return;
        }
        if (!frame.isVideo() || track <= 0 || track >= MAX_TRACK || refused[track]) {
            return;
        }
        ByteBuf plain = PlainTag.video(frame.payload(), ByteBufAllocator.DEFAULT);
        if (plain == null) {
            return;
        }
        Publication publication = tracks[track] != null ? tracks[track] : start(track, audioHeader);
        if (publication == null) {
            plain.release();
            return;
        }
        publication.send(MediaFrame.of(MediaFrame.Kind.VIDEO, frame.timestamp(), plain));
    }

    private Publication start(int track, MediaFrame audioHeader) {
        StreamKey key = key(source, track);
        Publication publication = registry.stream(key, options).publishUnobserved();
        if (publication == null) {
            refused[track] = true;
            log.warn("{}: track {} is not played as {}: another publisher holds that name", source, track, key);
            return null;
        }
        tracks[track] = publication;
        if (audioHeader != null) {
            publication.send(audioHeader.retain());
        }
        return publication;
    }

    /** Ends every rendition with the source's publication. */
    void close() {
        for (int i = 0; i < MAX_TRACK; i++) {
            if (tracks[i] != null) {
                tracks[i].close();
                tracks[i] = null;
            }
        }
    }
}
