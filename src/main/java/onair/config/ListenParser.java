package onair.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses the {@code listen} directive of an rtmp or http {@code server}: {@code [host:]port} or {@code host[:port]}, optionally
 * followed by {@code ssl}, {@code http2} (http only) and parameters that are noted as ignored.
 */
final class ListenParser {

    private static final int DEFAULT_PORT = 1935;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern KEEPALIVE = Pattern.compile("on|off|[0-9]*[smhd]?:[0-9]*[smhd]?:[0-9]*");

    private ListenParser() {}

    static Listen parse(Directive d, List<String> ignored) {
        return parse(d, ignored, DEFAULT_PORT);
    }

    /** Like {@link #parse(Directive, List)} with the port an address without one listens on. */
    static Listen parse(Directive d, List<String> ignored, int defaultPort) {
        if (d.block() != null) {
            throw ConfigException.at(d, "directive \"listen\" is not terminated by \";\"");
        }
        if (d.args().isEmpty()) {
            throw ConfigException.invalidArgumentCount(d);
        }
        String address = d.args().getFirst();
        if (address.startsWith("unix:")) {
            throw ConfigException.at(d, "\"unix:\" in \"listen\" directive is not supported yet");
        }
        Listen listen = address(d, address, defaultPort);
        boolean ssl = false;
        boolean http2 = false;
        for (String parameter : d.args().subList(1, d.args().size())) {
            if (parameter.equals("ssl")) {
                ssl = true;
            } else if (parameter.equals("http2") && defaultPort != DEFAULT_PORT) {
                http2 = true;
            } else {
                parameter(d, parameter, ignored, defaultPort);
            }
        }
        return new Listen(listen.host(), listen.port(), ssl, http2);
    }

    private static Listen address(Directive d, String address, int defaultPort) {
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            String host = end < 0 ? "" : address.substring(1, end);
            String rest = end < 0 ? "" : address.substring(end + 1);
            if (!IPV6.matcher(host).matches() || !(rest.isEmpty() || rest.startsWith(":"))) {
                throw ConfigException.invalidValue(d, address, null);
            }
            return new Listen(host, rest.isEmpty() ? defaultPort : port(d, address, rest.substring(1)));
        }
        if (PORT.matcher(address).matches()) {
            return new Listen(null, port(d, address, address));
        }
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        int port = colon < 0 ? defaultPort : port(d, address, address.substring(colon + 1));
        if (host.equals("*")) {
            return new Listen(null, port);
        }
        if (!HOST.matcher(host).matches()) {
            throw ConfigException.invalidValue(d, address, null);
        }
        return new Listen(host, port);
    }

    private static int port(Directive d, String address, String port) {
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
            throw ConfigException.invalidValue(d, address, "invalid port");
        }
        return Integer.parseInt(port);
    }

    private static void parameter(Directive d, String parameter, List<String> ignored, int defaultPort) {
        int equals = parameter.indexOf('=');
        String name = equals < 0 ? parameter : parameter.substring(0, equals);
        String value = equals < 0 ? null : parameter.substring(equals + 1);
        boolean valid = switch (name) {
            case "bind", "reuseport" -> value == null;
            case "default_server" -> value == null && defaultPort != DEFAULT_PORT;
            case "ipv6only" -> "on".equals(value) || "off".equals(value);
            case "so_keepalive" -> value != null && KEEPALIVE.matcher(value).matches();
            case "http2" -> throw ConfigException.at(d, "invalid parameter \"http2\" in \"listen\" directive");
            case "proxy_protocol", "quic" -> throw ConfigException.at(d,
                    "\"" + name + "\" in \"listen\" directive is not supported yet");
            default -> throw ConfigException.at(d, "invalid parameter \"" + parameter + "\" in \"listen\" directive");
        };
        if (!valid) {
            throw ConfigException.invalidValue(d, parameter, null);
        }
        ignored.add(d.location() + ": parameter \"" + name + "\" of the \"listen\" directive is ignored (not supported yet)");
    }
}
