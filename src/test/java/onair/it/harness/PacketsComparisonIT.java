package onair.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import onair.it.Packet;
import onair.it.PacketList;
import onair.it.Packets;
import org.junit.jupiter.api.Test;

class PacketsComparisonIT {

    private static Packet video(int i, long ts, boolean key) {
        return new Packet(0, "video", ts, ts, 40, 1000 + i, key ? "K__" : "___", "MD5:v" + i);
    }

    private static Packet audio(int i, long ts) {
        return new Packet(1, "audio", ts, ts, 23, 300 + i, "K__", "MD5:a" + i);
    }

    private static PacketList published() {
        List<Packet> p = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            p.add(video(i, i * 40L, i % 10 == 0));
            p.add(audio(i, i * 40L + 5));
        }
        return new PacketList("published", p);
    }

    private static PacketList shifted(List<Packet> packets, long offset) {
        return new PacketList("received", packets.stream().map(p -> new Packet(p.streamIndex(), p.codecType(),
                p.pts() + offset, p.dts() + offset, p.duration(), p.size(), p.flags(), p.dataHash())).toList());
    }

    @Test
    void acceptsRunFromAKeyframeWithConstantOffset() {
        PacketList received = shifted(published().packets().subList(20, 36), -400);

        Packets.Relay relay = Packets.assertRelayed(published(), received);

        assertThat(relay.video()).isEqualTo(new Packets.TrackMatch("video", 10, 8, -400, -400));
        assertThat(relay.audio().publishedStart()).isEqualTo(10);
        relay.assertTracksInSync();
    }

    @Test
    void rejectsAGap() {
        List<Packet> p = new ArrayList<>(published().packets().subList(20, 36));
        p.remove(6);

        assertThatThrownBy(() -> Packets.assertRelayed(published(), new PacketList("gap", p)))
                .hasMessageContaining("video: received packets match published from index 10, but received[3]"
                        + " differs from published[13]")
                .hasMessageContaining("MD5:v13").hasMessageContaining("MD5:v14")
                .hasMessageContaining("1 packet(s) missing");
    }

    @Test
    void rejectsAChangedHash() {
        List<Packet> p = new ArrayList<>(published().packets());
        Packet a = p.get(9);
        p.set(9, new Packet(a.streamIndex(), a.codecType(), a.pts(), a.dts(), a.duration(), a.size(), a.flags(),
                "MD5:changed"));

        assertThatThrownBy(() -> Packets.assertRelayed(published(), new PacketList("changed", p)))
                .hasMessageContaining("audio: received packets match published from index 0, but received[4]"
                        + " differs from published[4]")
                .hasMessageContaining("MD5:a4").hasMessageContaining("MD5:changed")
                .hasMessageContaining("never published");
    }

    @Test
    void rejectsANonConstantOffset() {
        List<Packet> p = new ArrayList<>(published().packets());
        Packet v = p.get(10);
        p.set(10, new Packet(v.streamIndex(), v.codecType(), v.pts() + 1, v.dts(), v.duration(), v.size(), v.flags(),
                v.dataHash()));

        assertThatThrownBy(() -> Packets.assertRelayed(published(), new PacketList("jitter", p)))
                .hasMessageContaining("video: timestamp offset changes at received[5] (published[5]): pts offset 1,"
                        + " dts offset 0; expected 0, 0");
    }

    @Test
    void rejectsAStartOffAKeyframe() {
        assertThatThrownBy(() -> Packets.assertRelayed(published(),
                new PacketList("late", published().packets().subList(2, 40))))
                .hasMessageContaining("first received video packet is not a keyframe");
    }

    @Test
    void rejectsAMissingTrackAndTracksOutOfSync() {
        assertThatThrownBy(() -> Packets.assertRelayed(published(), new PacketList("video only", published().video())))
                .hasMessageContaining("audio: no packets received (20 published)");

        List<Packet> p = new ArrayList<>(shifted(published().video(), 100).packets());
        p.addAll(published().audio());
        assertThatThrownBy(() -> Packets.assertRelayed(published(), new PacketList("skewed", p)).assertTracksInSync())
                .hasMessageContaining("tracks shifted differently: video pts/dts offset 100/100, audio pts/dts"
                        + " offset 0/0");
    }

    @Test
    void rejectsMorePacketsThanPublished() {
        List<Packet> p = new ArrayList<>(published().packets());
        p.add(video(0, 800, true));

        assertThatThrownBy(() -> Packets.assertRelayed(published(), new PacketList("looped", p)))
                .hasMessageContaining("video: received 21 packets from published index 0, but only 20 were published");
    }

    @Test
    void parsesFfprobeCompactOutput() {
        PacketList list = PacketList.parse("x", """
                codec_type=video|stream_index=0|pts=80|dts=N/A|duration=40|size=123|flags=K__|data_hash=MD5:ab
                codec_type=audio|stream_index=1|pts=23|dts=23|duration=23|size=9|flags=K_D|data_hash=MD5:cd
                """);

        assertThat(list.packets()).containsExactly(
                new Packet(0, "video", 80, Packet.NO_TIMESTAMP, 40, 123, "K__", "MD5:ab"),
                new Packet(1, "audio", 23, 23, 23, 9, "K_D", "MD5:cd"));
    }
}
