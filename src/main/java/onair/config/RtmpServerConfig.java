package onair.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A {@code server} block of the {@code rtmp} section: where it listens, its protocol settings and applications. */
public record RtmpServerConfig(List<Listen> listens, int chunkSize, Duration timeout, Duration ping,
        Duration pingTimeout, long ackWindow, int maxMessage, int maxStreams, Duration buflen,
        List<ApplicationConfig> applications) {

    public RtmpServerConfig {
        listens = List.copyOf(listens);
        applications = List.copyOf(applications);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(ping, "ping");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        Objects.requireNonNull(buflen, "buflen");
    }

    /** The application with exactly this name, as matched against the app of a {@code connect} command. */
    public Optional<ApplicationConfig> application(String name) {
        return applications.stream().filter(app -> app.name().equals(name)).findFirst();
    }
}
