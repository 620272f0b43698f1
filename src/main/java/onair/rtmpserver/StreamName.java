package onair.rtmpserver;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A publish or play name as a client sends it: the stream key and the {@code ?query} after it, which is kept for
 * callbacks but is not part of the key (nginx-rtmp §live: "name?args").
 */
record StreamName(String key, String query) {

    private static final Pattern TRACK = Pattern.compile("(?:^|&)track=([1-9][0-9]?)(?:&|$)");

    static StreamName parse(String name) {
        int q = name.indexOf('?');
        return q < 0 ? new StreamName(name, "") : new StreamName(name.substring(0, q), name.substring(q + 1));
    }

    /** The name to play: with {@code track=N} in the query, the rendition {@code KEY/N} of a multitrack stream. */
    StreamName played() {
        Matcher track = TRACK.matcher(query);
        return track.find() ? new StreamName(key + "/" + track.group(1), query) : this;
    }
}
