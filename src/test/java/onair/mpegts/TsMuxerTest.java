package onair.mpegts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TsMuxerTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void crcIsCrc32Mpeg2() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(TsMuxer.crc32(check, 0, check.length)).isEqualTo(0x0376e6e7);
    }

    @Test
    void tablesAreTheProgramAssociationAndMapSectionsWithTheirCrc() {
        ByteBuf out = Unpooled.buffer();
        new TsMuxer().writeTables(out, TsMuxer.H264, true);

        byte[] ts = ByteBufUtil.getBytes(out);
        assertThat(ts).hasSize(2 * 188);
        assertThat(HEX.formatHex(ts, 0, 21)).isEqualTo("4740001000" + "00b00d0001c100000001f0002ab104b2");
        assertThat(HEX.formatHex(ts, 188, 188 + 5 + 26)).isEqualTo("4750001000"
            + "02b0170001c10000e100f000" + "1be100f000" + "0fe101f000" + "2f44b99b");
        assertThat(ts[187]).isEqualTo((byte) 0xff);
        out.release();
    }

    @Test
    void hevcIsStreamType0x24AndAnAudioOnlyProgramTakesItsPcrFromTheAudio() {
        ByteBuf out = Unpooled.buffer();
        TsMuxer muxer = new TsMuxer();
        muxer.writeTables(out, TsMuxer.HEVC, false);
        muxer.writeTables(out, 0, true);

        byte[] ts = ByteBufUtil.getBytes(out);
        assertThat(HEX.formatHex(ts, 188 + 5, 188 + 5 + 17)).startsWith("02b0120001c10000e100f000" + "24e100f000");
        assertThat(HEX.formatHex(ts, 3 * 188 + 5, 3 * 188 + 5 + 17)).startsWith("02b0120001c10000e101f000" + "0fe101f000");
        assertThat(ts[2 * 188 + 3] & 0x0f).as("the PAT's continuity counter").isEqualTo(1);
        out.release();
    }

    @Test
    void videoPesCarriesPtsDtsAndAPcrAndIsSplitIntoPacketsWithRunningContinuityCounters() {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        ByteBuf out = Unpooled.buffer();
        TsMuxer muxer = new TsMuxer();
        muxer.writeVideo(out, 63_000 + 3_600, 63_000, 0, true, Unpooled.wrappedBuffer(data));
        muxer.writeVideo(out, 66_600 + 3_600, 66_600, 3_600, false, Unpooled.wrappedBuffer(data));

        List<Packet> packets = packets(ByteBufUtil.getBytes(out));
        assertThat(packets).extracting(Packet::pid).containsOnly(TsMuxer.VIDEO_PID);
        assertThat(packets).extracting(Packet::counter).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        Packet first = packets.getFirst();
        assertThat(first.start()).isTrue();
        assertThat(HEX.formatHex(first.adaptation())).isEqualTo("50" + "000000007e00");
        byte[] pes = concat(packets.subList(0, 6));
        assertThat(HEX.formatHex(pes, 0, 19)).isEqualTo("000001e003f5" + "80c00a" + "3100050851" + "110003ec31");
        assertThat(java.util.Arrays.copyOfRange(pes, 19, pes.length)).isEqualTo(data);
        assertThat(HEX.formatHex(packets.get(6).adaptation())).as("PCR without random access")
            .isEqualTo("10" + "000007087e00");
    }

    @ParameterizedTest(name = "{0} bytes of data")
    @ValueSource(ints = {0, 1, 150, 151, 152, 153, 170, 183, 184, 185, 335, 336, 337, 5000})
    void audioPesOfAnySizeFillsWholePacketsWithStuffing(int size) {
        byte[] data = new byte[size];
        java.util.Arrays.fill(data, (byte) 0x5a);
        ByteBuf out = Unpooled.buffer();
        new TsMuxer().writeAudio(out, 90_000, -1, Unpooled.wrappedBuffer(data));

        byte[] ts = ByteBufUtil.getBytes(out);
        assertThat(ts.length % 188).isZero();
        byte[] pes = concat(packets(ts));
        assertThat(HEX.formatHex(pes, 0, 14)).isEqualTo("000001c0" + "%04x".formatted(size + 8) + "808005"
            + "210005bf21");
        assertThat(pes).hasSize(14 + size);
    }

    record Packet(int pid, boolean start, int counter, byte[] adaptation, byte[] payload) {}

    /** Parses 188-byte packets, checking the sync byte and adaptation-field stuffing. */
    static List<Packet> packets(byte[] ts) {
        assertThat(ts.length % 188).isZero();
        List<Packet> packets = new ArrayList<>();
        for (int at = 0; at < ts.length; at += 188) {
            assertThat(ts[at]).isEqualTo((byte) 0x47);
            int pid = (ts[at + 1] & 0x1f) << 8 | ts[at + 2] & 0xff;
            int control = ts[at + 3] >> 4 & 3;
            int payloadAt = at + 4;
            byte[] adaptation = new byte[0];
            if ((control & 2) != 0) {
                int length = ts[at + 4] & 0xff;
                adaptation = java.util.Arrays.copyOfRange(ts, at + 5, at + 5 + length);
                payloadAt = at + 5 + length;
            }
            packets.add(new Packet(pid, (ts[at + 1] & 0x40) != 0, ts[at + 3] & 0x0f, stripStuffing(adaptation),
                java.util.Arrays.copyOfRange(ts, payloadAt, at + 188)));
        }
        return packets;
    }

    private static byte[] stripStuffing(byte[] adaptation) {
        int end = adaptation.length;
        while (end > 1 && adaptation[end - 1] == (byte) 0xff) {
            end--;
        }
        return java.util.Arrays.copyOf(adaptation, end);
    }

    static byte[] concat(List<Packet> packets) {
        ByteBuf all = Unpooled.buffer();
        packets.forEach(packet -> all.writeBytes(packet.payload()));
        return ByteBufUtil.getBytes(all);
    }

    static Map<Integer, Integer> counts(List<Packet> packets) {
        Map<Integer, Integer> counts = new HashMap<>();
        packets.forEach(packet -> counts.merge(packet.pid(), 1, Integer::sum));
        return counts;
    }
}
