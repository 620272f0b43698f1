package onair.rtmp.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A data message, type 18 (AMF0) or 15 (AMF3) (RTMP spec §7.1.2): metadata or user data such as
 * {@code ["@setDataFrame", "onMetaData", {...}]}. Values are the Java values of {@link onair.amf.Amf0}.
 */
public record DataMessage(int streamId, int timestamp, List<Object> values) implements RtmpMessage {

    public DataMessage {
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }
}
