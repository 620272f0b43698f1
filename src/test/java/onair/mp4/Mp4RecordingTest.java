package onair.mp4;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Finishing fragmented recordings: the regular {@code moov} written at the end points at every sample of the complete
 * fragments in place, a file cut in a fragment loses only that fragment, a finalisation interrupted before its last
 * write is done again, and a recording kept fragmented ends with an {@code mfra}.
 */
class Mp4RecordingTest {

    private static final int SAMPLES_PER_FRAGMENT = 25;
    private static final long FRAME = 3600;
    private static final Fmp4Muxer.Video VIDEO = new Fmp4Muxer.Video(false,
        new byte[] {1, 0x64, 0, 0x1f, (byte) 0xff, (byte) 0xe0, 0}, 640, 360);
    private static final Fmp4Muxer.Audio AUDIO = new Fmp4Muxer.Audio(new byte[] {0x12, 0x10}, 44_100, 2);

    @TempDir
    Path dir;

    /** Writes a recording of {@code fragments} one-second fragments of video and audio; returns its samples. */
    private List<byte[]> record(Path file, int fragments) throws IOException {
        Fmp4Muxer muxer = new Fmp4Muxer(VIDEO, AUDIO);
        List<byte[]> video = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            byte[] init = muxer.initialization();
            int moov = ByteBuffer.wrap(init).getInt(0);
            write(channel, Arrays.copyOf(init, moov));
            write(channel, Mp4Recording.reserve());
            write(channel, Arrays.copyOfRange(init, moov, init.length));
            long dts = 0;
            for (int f = 0; f < fragments; f++) {
                for (int i = 0; i < SAMPLES_PER_FRAGMENT; i++) {
                    byte[] sample = ("video " + f + "/" + i + " ").repeat(1 + i).getBytes(StandardCharsets.US_ASCII);
                    video.add(sample);
                    muxer.video(dts, dts + (i % 2) * FRAME, i == 0, Unpooled.wrappedBuffer(sample));
                    muxer.audio(dts, Unpooled.wrappedBuffer(("audio " + f + "/" + i).getBytes(StandardCharsets.US_ASCII)));
                    dts += FRAME;
                }
                write(channel, muxer.segment(f, dts));
            }
        }
        return video;
    }

    private static void write(FileChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Test
    void aFinalisedRecordingIsFtypMdatMoovWhoseTablesPointAtEverySampleInPlace() throws IOException {
        Path file = dir.resolve("a.mp4");
        List<byte[]> samples = record(file, 3);

        assertThat(Mp4Recording.finish(file, false)).isEqualTo(FragmentedFile.State.FINALISED);

        assertThat(RegularMp4.topLevel(file)).containsExactly("ftyp", "mdat", "moov");
        RegularMp4 mp4 = RegularMp4.read(file);
        RegularMp4.Table video = mp4.track("vide");
        assertThat(video.sizes()).hasSize(samples.size());
        assertThat(video.samples(file)).zipSatisfy(samples, (read, written) -> assertThat(read).isEqualTo(written));
        assertThat(video.durations()).containsOnly(FRAME);
        assertThat(video.syncSamples()).containsExactly(1L, 26L, 51L);
        assertThat(video.compositionOffsets()).contains(0L, FRAME);
        assertThat(mp4.track("soun").sizes()).hasSize(samples.size());
        assertThat(mp4.hasMvex()).isFalse();
        try (FileChannel channel = FileChannel.open(file)) {
            FragmentedFile read = FragmentedFile.read(channel);
            assertThat(read.state()).isEqualTo(FragmentedFile.State.FINALISED);
            assertThat(read.fragments()).hasSize(3);
            assertThat(read.duration()).isEqualTo(3.0);
        }
    }

    @Test
    void aRecordingCutInAFragmentKeepsTheCompleteFragmentsOnly() throws IOException {
        Path file = dir.resolve("cut.mp4");
        List<byte[]> samples = record(file, 3);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 100);
        }
        try (FileChannel channel = FileChannel.open(file)) {
            assertThat(FragmentedFile.read(channel).state()).isEqualTo(FragmentedFile.State.PARTIAL);
        }

        Mp4Recording.finish(file, false);

        RegularMp4.Table video = RegularMp4.read(file).track("vide");
        assertThat(video.samples(file)).containsExactlyElementsOf(samples.subList(0, 2 * SAMPLES_PER_FRAGMENT));
    }

    @Test
    void aFinalisationInterruptedBeforeItsLastWriteIsDoneAgain() throws IOException {
        Path file = dir.resolve("again.mp4");
        List<byte[]> samples = record(file, 2);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            write(channel, new byte[] {0, 0, 0x10, 0, 'm', 'o', 'o', 'v', 0, 0, 0, 0x6c, 'm', 'v', 'h', 'd'});
        }

        Mp4Recording.finish(file, false);

        assertThat(RegularMp4.topLevel(file)).containsExactly("ftyp", "mdat", "moov");
        assertThat(RegularMp4.read(file).track("vide").samples(file)).containsExactlyElementsOf(samples);
    }

    @Test
    void aRecordingKeptFragmentedEndsWithAnMfraAndCanStillBeFinalised() throws IOException {
        Path file = dir.resolve("frag.mp4");
        List<byte[]> samples = record(file, 2);

        assertThat(Mp4Recording.finish(file, true)).isEqualTo(FragmentedFile.State.FRAGMENTED);
        assertThat(Mp4Recording.finish(file, true)).isEqualTo(FragmentedFile.State.FRAGMENTED);

        assertThat(RegularMp4.topLevel(file)).containsExactly("ftyp", "free", "moov", "moof", "mdat", "moof", "mdat",
            "mfra");
        Mp4Recording.finish(file, false);
        assertThat(RegularMp4.read(file).track("vide").samples(file)).containsExactlyElementsOf(samples);
    }

    @Test
    void aFileThatIsNotARecordingIsRefusedUntouched() throws IOException {
        Path file = dir.resolve("clip.flv");
        byte[] flv = "FLV\u0001\u0005\0\0\0\u0009\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, flv);

        assertThatThrownBy(() -> Mp4Recording.finish(file, false)).isInstanceOf(IOException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(flv);
    }
}
