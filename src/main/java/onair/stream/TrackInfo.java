package onair.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import onair.media.AudioSpecificConfig;
import onair.media.AvcDecoderConfiguration;
import onair.media.Codec;
import onair.media.HevcDecoderConfiguration;
import onair.media.MediaFormatException;
import onair.media.MediaFrame;

/** What a sequence header says of its track: the codecs string and, for video, the picture size of its SPS. */
final class TrackInfo {

    private TrackInfo() {}

    /** The track {@code header}, a sequence header of any track, describes; a record it cannot read gives zeros. */
    static StreamStats.Track of(MediaFrame header) {
        Codec codec = header.header().codec();
        ByteBuf body = header.payload();
        int offset = header.header().dataOffset();
        if (offset < 0 || offset >= body.readableBytes()) {
            return new StreamStats.Track(header.track(), header.kind(), codec, "", 0, 0);
        }
        byte[] record = ByteBufUtil.getBytes(body, body.readerIndex() + offset, body.readableBytes() - offset);
        try {
            return switch (codec) {
                case H264 -> {
                    AvcDecoderConfiguration avc = AvcDecoderConfiguration.parse(record);
                    yield new StreamStats.Track(header.track(), header.kind(), codec, avc.codecString(),
                        avc.sequenceParameterSet().width(), avc.sequenceParameterSet().height());
                }
                case HEVC -> {
                    HevcDecoderConfiguration hevc = HevcDecoderConfiguration.parse(record);
                    yield new StreamStats.Track(header.track(), header.kind(), codec, hevc.codecString(),
                        hevc.sequenceParameterSet().width(), hevc.sequenceParameterSet().height());
                }
                case AAC -> new StreamStats.Track(header.track(), header.kind(), codec,
                    AudioSpecificConfig.parse(record).codecString(), 0, 0);
                default -> new StreamStats.Track(header.track(), header.kind(), codec, "", 0, 0);
            };
        } catch (MediaFormatException | IndexOutOfBoundsException e) {
            return new StreamStats.Track(header.track(), header.kind(), codec, "", 0, 0);
        }
    }
}
