package onair.config;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The blocks a directive may appear in, as nginx names its contexts: the {@code rtmp} section's (nginx-rtmp's main,
 * server, application and recorder configurations) and the {@code http} section's.
 */
enum Context {
    RTMP, RTMP_SERVER, APPLICATION, RECORDER, HTTP, HTTP_SERVER, LOCATION;

    /** Only the {@code rtmp} block itself: settings of the whole process. */
    static final Set<Context> RTMP_BLOCK = of(RTMP);

    /** The {@code rtmp} block and its servers: nginx-rtmp's core module directives. */
    static final Set<Context> CORE = of(RTMP, RTMP_SERVER);

    /** From the {@code rtmp} block down to its applications. */
    static final Set<Context> APPLICATIONS = of(RTMP, RTMP_SERVER, APPLICATION);

    /** From the {@code rtmp} block down to the {@code recorder} blocks of applications. */
    static final Set<Context> RECORDERS = of(RTMP, RTMP_SERVER, APPLICATION, RECORDER);

    /** The main and server blocks of both sections, where the TLS directives go. */
    static final Set<Context> TLS = of(RTMP, RTMP_SERVER, HTTP, HTTP_SERVER);

    /** The {@code http} block and its servers. */
    static final Set<Context> HTTP_SERVERS = of(HTTP, HTTP_SERVER);

    /** From the {@code http} block down to its locations. */
    static final Set<Context> LOCATIONS = of(HTTP, HTTP_SERVER, LOCATION);

    /** An http {@code server} block and its locations, not the {@code http} block. */
    static final Set<Context> SERVER_LOCATIONS = of(HTTP_SERVER, LOCATION);

    /** Only a {@code location} block. */
    static final Set<Context> IN_LOCATION = of(LOCATION);

    private static Set<Context> of(Context first, Context... rest) {
        return Collections.unmodifiableSet(EnumSet.of(first, rest));
    }
}
