package onair.rtmp.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import onair.amf.Amf0;
import onair.amf.EcmaArray;
import onair.media.MediaFrame;
import onair.rtmp.RtmpProtocolException;
import onair.rtmp.message.DataMessage;
import onair.rtmp.message.MediaMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a publisher's messages become: the frames and metadata a live stream is handed, as AMF0 values. */
class IngestTest {

    private final List<MediaFrame> frames = new ArrayList<>();
    private final List<MediaFrame> metadata = new ArrayList<>();

    @AfterEach
    void release() {
        frames.forEach(MediaFrame::release);
        metadata.forEach(MediaFrame::release);
    }

    @Test
    void audioAndVideoBecomeFramesSharingThePayload() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {0x17, 1, 0, 0, 0});
        MediaMessage video = new MediaMessage(1, 40, MediaMessage.VIDEO, payload);
        MediaMessage audio = new MediaMessage(1, 42, MediaMessage.AUDIO, payload.retainedDuplicate());

        MediaFrame videoFrame = Ingest.frame(video);
        MediaFrame audioFrame = Ingest.frame(audio);
        video.payload().release();
        audio.payload().release();

        assertThat(videoFrame.kind()).isEqualTo(MediaFrame.Kind.VIDEO);
        assertThat(videoFrame.timestamp()).isEqualTo(40);
        assertThat(audioFrame.kind()).isEqualTo(MediaFrame.Kind.AUDIO);
        assertThat(audioFrame.timestamp()).isEqualTo(42);
        assertThat(videoFrame.payload().getByte(0)).isEqualTo((byte) 0x17);
        videoFrame.release();
        audioFrame.release();
        assertThat(payload.refCnt()).isZero();
    }

    @Test
    void setDataFrameIsStrippedAndOnMetaDataIsCopiedAsSentUnderMetaCopy() {
        Map<String, Object> properties = properties();
        ingest(new DataMessage(1, 0, List.of("@setDataFrame", "onMetaData", properties)), Ingest.Meta.COPY);

        assertThat(frames).isEmpty();
        assertThat(metadata).singleElement().satisfies(frame -> {
            assertThat(frame.kind()).isEqualTo(MediaFrame.Kind.DATA);
            assertThat(values(frame)).containsExactly("onMetaData", properties);
        });
    }

    @Test
    void metaOnKeepsOnlyTheFieldsThatDescribeTheStream() {
        ingest(new DataMessage(1, 0, List.of("onMetaData", new EcmaArray(properties()))), Ingest.Meta.ON);

        assertThat(values(metadata.getFirst())).containsExactly("onMetaData", Map.of("width", 1280.0,
            "videocodecid", 7.0));
    }

    @Test
    void metaOffDropsOnMetaDataButNotOtherData() {
        ingest(new DataMessage(1, 0, List.of("@setDataFrame", "onMetaData", properties())), Ingest.Meta.OFF);
        ingest(new DataMessage(1, 80, List.of("onCuePoint", "cue", 1.0)), Ingest.Meta.OFF);

        assertThat(metadata).isEmpty();
        assertThat(frames).singleElement().satisfies(frame -> {
            assertThat(frame.timestamp()).isEqualTo(80);
            assertThat(values(frame)).containsExactly("onCuePoint", "cue", 1.0);
        });
    }

    @Test
    void anOnMetaDataWithoutPropertiesGetsAnEmptyObject() {
        ingest(new DataMessage(1, 0, List.of("@setDataFrame", "onMetaData")), Ingest.Meta.COPY);

        assertThat(values(metadata.getFirst())).containsExactly("onMetaData", Map.of());
    }

    @Test
    void dataWithoutAHandlerNameYieldsNothing() {
        ingest(new DataMessage(1, 0, List.of()), Ingest.Meta.COPY);
        ingest(new DataMessage(1, 0, List.of("@setDataFrame")), Ingest.Meta.COPY);
        ingest(new DataMessage(1, 0, List.of(5.0, "onMetaData")), Ingest.Meta.COPY);

        assertThat(frames).isEmpty();
        assertThat(metadata).isEmpty();
    }

    @Test
    void valuesAmf0CannotCarryAreAProtocolErrorNamingTheMessage() {
        DataMessage amf3 = new DataMessage(1, 0, List.of("@setDataFrame", "onCue", new byte[] {'a', 'b', 'c'}));

        assertThatThrownBy(() -> ingest(amf3, Ingest.Meta.COPY))
            .isInstanceOf(RtmpProtocolException.class)
            .hasMessageStartingWith("data message onCue cannot be relayed: ");
        assertThat(frames).isEmpty();
    }

    private void ingest(DataMessage data, Ingest.Meta meta) {
        Ingest.data(data, meta, ByteBufAllocator.DEFAULT, frames::add, metadata::add);
    }

    private static Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("width", 1280.0);
        properties.put("encoder", "obs");
        properties.put("videocodecid", 7.0);
        return properties;
    }

    private static List<Object> values(MediaFrame frame) {
        return Amf0.readAll(frame.payload().duplicate());
    }
}
