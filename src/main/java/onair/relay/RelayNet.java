package onair.relay;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * Where configured relays connect from: the server's event loops and client channel type, and the TLS client
 * contexts of {@code rtmps://} targets, one per set of trusted certificates ({@code relay_ssl_trusted_certificate},
 * or the JDK's trust store), each verifying the certificate chain and the host name.
 */
public final class RelayNet {

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private final Map<List<X509Certificate>, SslContext> contexts = new ConcurrentHashMap<>();

    public RelayNet(EventLoopGroup group, Class<? extends Channel> channelType) {
        this.group = Objects.requireNonNull(group, "group");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
    }

    EventLoopGroup group() {
        return group;
    }

    Class<? extends Channel> channelType() {
        return channelType;
    }

    /** The TLS client context trusting {@code trusted}, or the JDK's trust store when it is empty. */
    SslContext tls(List<X509Certificate> trusted) {
        return contexts.computeIfAbsent(List.copyOf(trusted), certificates -> {
            try {
                SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .endpointIdentificationAlgorithm("HTTPS");
                if (!certificates.isEmpty()) {
                    builder.trustManager(certificates);
                }
                return builder.build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build the TLS context of relays: " + e.getMessage(), e);
            }
        });
    }
}
