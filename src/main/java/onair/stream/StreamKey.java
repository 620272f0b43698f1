package onair.stream;

import java.util.Objects;

/**
 * The name of a live stream: the application and the stream name a publisher or player gives, without its
 * {@code ?query} arguments.
 */
public record StreamKey(String app, String name) {

    public StreamKey {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(name, "name");
        if (name.indexOf('?') >= 0) {
            throw new IllegalArgumentException("stream name with a query: " + name);
        }
    }

    @Override
    public String toString() {
        return app + "/" + name;
    }
}
