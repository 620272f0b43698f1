package onair.server;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import onair.config.SslConfig;

import javax.net.ssl.SSLException;

/** The server-side TLS contexts of RTMPS and HTTPS listeners, from their {@code ssl_*} settings. */
final class TlsContexts {

    private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
        ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2,
        ApplicationProtocolNames.HTTP_1_1);

    private TlsContexts() {}

    /** The TLS context of {@code config}, offering {@code h2} and {@code http/1.1} by ALPN when {@code http2}. */
    static SslContext server(SslConfig config, boolean http2) {
        try {
            return SslContextBuilder.forServer(config.key(), config.certificateChain())
                .sslProvider(SslProvider.JDK)
                .protocols(config.protocols())
                .ciphers(config.ciphers().isEmpty() ? null : config.ciphers())
                .applicationProtocolConfig(http2 ? ALPN : null)
                .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot use certificate \"" + config.certificate() + "\": "
                + e.getMessage(), e);
        }
    }
}
