package onair.rtmpserver;

/**
 * A publish or play name as a client sends it: the stream key and the {@code ?query} after it, which is kept for
 * callbacks but is not part of the key (nginx-rtmp §live: "name?args").
 */
record StreamName(String key, String query) {

    static StreamName parse(String name) {
        int q = name.indexOf('?');
        return q < 0 ? new StreamName(name, "") : new StreamName(name.substring(0, q), name.substring(q + 1));
    }
}
