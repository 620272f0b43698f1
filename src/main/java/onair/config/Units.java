package onair.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * nginx value syntax: sizes ({@code 4000}, {@code 4k}, {@code 1m}, {@code 1g}), times, on/off flags, and the values of
 * the directives Onair binds; each parser throws {@link IllegalArgumentException} with the detail of an
 * {@code invalid value} message.
 */
final class Units {

    private static final String TIME_UNITS = "yMwdhms";
    private static final long[] TIME_UNIT_MILLIS = {
        365L * 86_400_000, 30L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000,
    };

    private static final Set<String> SSL_PROTOCOLS = Set.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    /**
     * A host name that {@link URI} leaves in the authority (it has a {@code _}, as docker-compose service names do),
     * with an optional port.
     */
    private static final Pattern REGISTRY_HOST = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*(:[0-9]{1,5})?");

    private Units() {}

    /** A byte count; {@code k}, {@code m} and {@code g} (either case) multiply by powers of 1024. */
    static long size(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException();
        }
        int shift = switch (text.charAt(text.length() - 1)) {
            case 'k', 'K' -> 10;
            case 'm', 'M' -> 20;
            case 'g', 'G' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        long value = number(digits);
        if (value > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException();
        }
        return value << shift;
    }

    /**
     * A time: numbers with units in decreasing order ({@code 1h30m}, {@code 500ms}, {@code 1d 12h});
     * a number without a unit means seconds.
     */
    static Duration time(String text) {
        long total = 0;
        int lastUnit = -1;
        int i = 0;
        boolean any = false;
        while (i < text.length()) {
            if (text.charAt(i) == ' ') {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            long value = number(text.substring(start, i));
            int unit;
            long millis;
            if (text.startsWith("ms", i)) {
                unit = TIME_UNITS.length();
                millis = 1;
                i += 2;
            } else if (i < text.length() && TIME_UNITS.indexOf(text.charAt(i)) >= 0) {
                unit = TIME_UNITS.indexOf(text.charAt(i));
                millis = TIME_UNIT_MILLIS[unit];
                i++;
            } else if (i == text.length() || text.charAt(i) == ' ') {
                unit = TIME_UNITS.indexOf('s');
                millis = 1_000;
            } else {
                throw new IllegalArgumentException();
            }
            if (unit <= lastUnit) {
                throw new IllegalArgumentException();
            }
            lastUnit = unit;
            if (value > (Long.MAX_VALUE - total) / millis) {
                throw new IllegalArgumentException();
            }
            total += value * millis;
            any = true;
        }
        if (!any) {
            throw new IllegalArgumentException();
        }
        return Duration.ofMillis(total);
    }

    /** {@code on} or {@code off}, exactly. */
    static boolean flag(String text) {
        return switch (text) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("it must be \"on\" or \"off\"");
        };
    }

    /** A time greater than zero. */
    static Duration positiveTime(String text) {
        Duration time = time(text);
        if (time.isZero()) {
            throw new IllegalArgumentException("it must be greater than 0");
        }
        return time;
    }

    /** A plain decimal number, without unit. */
    static long integer(String text) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 18) {
            throw new IllegalArgumentException();
        }
        return Long.parseLong(text);
    }

    /** {@code value}, checked to lie in {@code [min, max]}. */
    static long bounded(long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("it must be between " + min + " and " + max);
        }
        return value;
    }

    /** A connection limit: {@code off} (0) or a positive number. */
    static int limit(String text) {
        if (text.equals("off")) {
            return 0;
        }
        try {
            return (int) bounded(integer(text), 1, Integer.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("it must be \"off\" or between 1 and " + Integer.MAX_VALUE);
        }
    }

    /** One value of {@code E}, named by {@code names} in constant order (a null name skips a constant). */
    static <E extends Enum<E>> E choice(String text, Class<E> type, String... names) {
        E[] constants = type.getEnumConstants();
        int offset = constants.length - names.length;
        for (int i = 0; i < names.length; i++) {
            if (text.equals(names[i])) {
                return constants[i + offset];
            }
        }
        throw new IllegalArgumentException("it must be " + Stream.of(names).filter(Objects::nonNull)
                .map(name -> "\"" + name + "\"").collect(Collectors.joining(" or ")));
    }

    /** {@code path} resolved against the directory of the file {@code d} is in. */
    static Path relativeToFile(Directive d, Path path) {
        return Path.of(d.file()).toAbsolutePath().getParent().resolve(path).normalize();
    }

    /** {@code ssl_protocols}: one or more of the TLS versions, repeats dropped. */
    static List<String> sslProtocols(String text) {
        List<String> protocols = List.of(text.split(" "));
        for (String protocol : protocols) {
            if (!SSL_PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException(
                        "it must be one or more of \"TLSv1\", \"TLSv1.1\", \"TLSv1.2\" and \"TLSv1.3\"");
            }
        }
        return protocols.stream().distinct().toList();
    }

    /** {@code ssl_ciphers}: an OpenSSL cipher list ({@link CipherString}) evaluated over the JDK's suites. */
    static List<String> sslCiphers(String text) {
        SSLContext context;
        try {
            context = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
        return CipherString.select(text, List.of(context.getDefaultSSLParameters().getCipherSuites()),
            Set.of(context.getSupportedSSLParameters().getCipherSuites()));
    }

    /**
     * A callback URL: {@code http://} or {@code https://} with a host; without a scheme, {@code http://}. As in nginx,
     * an {@code http://} host name may have a {@code _}.
     */
    static URI callbackUrl(String text) {
        String url = text.contains("://") ? text : "http://" + text;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getReason());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("the URL must start with \"http://\" or \"https://\"");
        }
        if (uri.getHost() == null) {
            String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
            if (!REGISTRY_HOST.matcher(authority.substring(authority.lastIndexOf('@') + 1)).matches()) {
                throw new IllegalArgumentException("the URL has no host");
            }
            if (!"http".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("an https:// URL needs a host name without \"_\"");
            }
        }
        return uri;
    }

    /** {@code notify_method get|post}. */
    static AdmissionConfig.Method notifyMethod(String text) {
        return switch (text) {
            case "get" -> AdmissionConfig.Method.GET;
            case "post" -> AdmissionConfig.Method.POST;
            default -> throw new IllegalArgumentException("it must be \"get\" or \"post\"");
        };
    }

    /** {@code publish_token_secret}: at least 16 characters. */
    static String tokenSecret(String text) {
        if (text.length() < 16) {
            throw new IllegalArgumentException("the secret must be at least 16 characters");
        }
        return text;
    }

    /** {@code meta on|copy|off}. */
    static ApplicationConfig.Meta meta(String text) {
        return switch (text) {
            case "on" -> ApplicationConfig.Meta.ON;
            case "copy" -> ApplicationConfig.Meta.COPY;
            case "off" -> ApplicationConfig.Meta.OFF;
            default -> throw new IllegalArgumentException("it must be \"on\", \"copy\" or \"off\"");
        };
    }

    /** A time of at most one second ({@code hls_part}, {@code merge_window}). */
    static Duration subsecond(String text) {
        Duration time = time(text);
        if (time.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("it must be at most 1s");
        }
        return time;
    }

    /** {@code hls_variant SUFFIX [ATTRIBUTE=value...]}. */
    static HlsConfig.Variant variant(String text) {
        List<String> args = List.of(text.split(" "));
        for (String attribute : args.subList(1, args.size())) {
            if (attribute.indexOf('=') <= 0) {
                throw new IllegalArgumentException("\"" + attribute + "\" is not an ATTRIBUTE=value pair");
            }
        }
        return new HlsConfig.Variant(args.getFirst(), args.subList(1, args.size()));
    }

    /** {@code record off|all|audio|video|keyframes|manual ...}: the flags combine; {@code off} records nothing. */
    static Set<RecordConfig.Flag> recordFlags(String text) {
        Set<RecordConfig.Flag> flags = EnumSet.noneOf(RecordConfig.Flag.class);
        boolean off = false;
        for (String value : text.split(" ")) {
            switch (value) {
                case "off" -> off = true;
                case "all" -> flags.addAll(EnumSet.of(RecordConfig.Flag.AUDIO, RecordConfig.Flag.VIDEO));
                case "audio" -> flags.add(RecordConfig.Flag.AUDIO);
                case "video" -> flags.add(RecordConfig.Flag.VIDEO);
                case "keyframes" -> flags.add(RecordConfig.Flag.KEYFRAMES);
                case "manual" -> flags.add(RecordConfig.Flag.MANUAL);
                default -> throw new IllegalArgumentException(
                        "it must be \"off\", \"all\", \"audio\", \"video\", \"keyframes\" or \"manual\"");
            }
        }
        if (off && !flags.isEmpty()) {
            throw new IllegalArgumentException("\"off\" cannot be combined with other values");
        }
        return Set.copyOf(flags);
    }

    private static long number(String digits) {
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException();
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException();
        }
    }
}
