package onair.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * The test JVM's host name resolution: {@value #LOOPBACK_NAME} is the loopback address, as a docker-compose service of
 * that name would be its container's; every other name and address goes to the JDK's built-in resolver. Registered
 * in {@code META-INF/services}.
 */
public final class TestHostNames extends InetAddressResolverProvider {

    /** A name with {@code _}, as docker-compose gives services, that java.net.URI does not take as a host name. */
    public static final String LOOPBACK_NAME = "rtmp_notify";

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (host.equalsIgnoreCase(LOOPBACK_NAME)) {
                    return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "onair-test-host-names";
    }
}
