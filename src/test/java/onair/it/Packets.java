package onair.it;

import static org.assertj.core.api.Assertions.fail;

import java.util.List;

/**
 * Assertions comparing the packets a publisher sent with the packets a player recorded: per track, the received
 * packets must be an unbroken run of the published ones, shifted in time by one constant.
 */
public final class Packets {

    private Packets() {
    }

    /**
     * Where a track's received packets sit in the published ones.
     *
     * @param publishedStart index in the published track of the first received packet
     * @param count          number of received packets
     * @param ptsOffset      received pts minus published pts, the same for every packet
     * @param dtsOffset      received dts minus published dts, the same for every packet
     */
    public record TrackMatch(String track, int publishedStart, int count, long ptsOffset, long dtsOffset) {

        /** Whether the run reaches the last published packet. */
        public boolean reachesEnd(int publishedSize) {
            return publishedStart + count == publishedSize;
        }
    }

    /** The outcome of {@link #assertRelayed}: one match per track. */
    public record Relay(TrackMatch video, TrackMatch audio) {

        /** Fails unless both tracks were shifted by the same pts and dts offsets, that is A/V sync is kept. */
        public Relay assertTracksInSync() {
            if (video.ptsOffset() != audio.ptsOffset() || video.dtsOffset() != audio.dtsOffset()) {
                fail("tracks shifted differently: video pts/dts offset %d/%d, audio pts/dts offset %d/%d",
                        video.ptsOffset(), video.dtsOffset(), audio.ptsOffset(), audio.dtsOffset());
            }
            return this;
        }
    }

    /**
     * Checks video and audio separately: each received track is a non-empty contiguous run of the published track with
     * identical data hashes and constant pts and dts offsets, and the first received video packet is a keyframe.
     */
    public static Relay assertRelayed(PacketList published, PacketList received) {
        List<Packet> video = received.video();
        if (!video.isEmpty() && !video.getFirst().keyframe()) {
            fail("the first received video packet is not a keyframe: %s%n  received from %s", video.getFirst(),
                    received.source());
        }
        return new Relay(assertContiguousRun("video", published.video(), video),
                assertContiguousRun("audio", published.audio(), received.audio()));
    }

    /**
     * Fails unless {@code received} is a non-empty run of consecutive {@code published} packets, with equal data
     * hashes in the same order and with {@code received.pts - published.pts} (and dts) the same for every packet.
     */
    public static TrackMatch assertContiguousRun(String track, List<Packet> published, List<Packet> received) {
        if (received.isEmpty()) {
            fail("%s: no packets received (%d published)", track, published.size());
        }
        int start = -1;
        int matched = -1;
        for (int j = 0; j < published.size(); j++) {
            int m = prefixLength(published, j, received);
            if (m > matched) {
                start = j;
                matched = m;
            }
            if (m == received.size()) {
                break;
            }
        }
        if (matched <= 0) {
            fail("%s: the first received packet is not among the %d published packets%n  received[0]: %s", track,
                    published.size(), received.getFirst());
        }
        if (matched < received.size()) {
            int i = matched;
            if (start + i >= published.size()) {
                fail("%s: received %d packets from published index %d, but only %d were published; received[%d]: %s",
                        track, received.size(), start, published.size(), i, received.get(i));
            }
            fail("%s: received packets match published from index %d, but received[%d] differs from published[%d]"
                            + "%n  published: %s%n  received:  %s%n  %s",
                    track, start, i, start + i, published.get(start + i), received.get(i),
                    whereElse(published, received.get(i), start + i));
        }
        long ptsOffset = received.getFirst().pts() - published.get(start).pts();
        long dtsOffset = received.getFirst().dts() - published.get(start).dts();
        for (int i = 0; i < received.size(); i++) {
            Packet p = published.get(start + i);
            Packet r = received.get(i);
            if (r.pts() - p.pts() != ptsOffset || r.dts() - p.dts() != dtsOffset) {
                fail("%s: timestamp offset changes at received[%d] (published[%d]): pts offset %d, dts offset %d;"
                                + " expected %d, %d as for received[0]%n  published: %s%n  received:  %s",
                        track, i, start + i, r.pts() - p.pts(), r.dts() - p.dts(), ptsOffset, dtsOffset, p, r);
            }
        }
        return new TrackMatch(track, start, received.size(), ptsOffset, dtsOffset);
    }

    private static int prefixLength(List<Packet> published, int from, List<Packet> received) {
        int m = 0;
        while (m < received.size() && from + m < published.size()
                && published.get(from + m).dataHash().equals(received.get(m).dataHash())) {
            m++;
        }
        return m;
    }

    private static String whereElse(List<Packet> published, Packet r, int expectedIndex) {
        for (int j = 0; j < published.size(); j++) {
            if (published.get(j).dataHash().equals(r.dataHash())) {
                int delta = j - expectedIndex;
                return delta > 0 ? "the received packet is published[%d]: %d packet(s) missing".formatted(j, delta)
                        : "the received packet is published[%d]: %d packet(s) repeated or reordered"
                        .formatted(j, -delta);
            }
        }
        return "the received packet's hash was never published";
    }
}
