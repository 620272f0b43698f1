package onair.config;

import io.netty.handler.ssl.CipherSuiteConverter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * nginx's {@code ssl_ciphers} value in OpenSSL's cipher list format (openssl-ciphers(1)) evaluated over the JDK's
 * cipher suites: items separated by {@code :}, {@code ,} or spaces, each a suite (JDK name such as
 * {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256} or OpenSSL name such as {@code ECDHE-RSA-AES128-GCM-SHA256}) or
 * keywords joined by {@code +} ({@code HIGH}, {@code aNULL}, {@code ECDHE}, {@code AESGCM}, …), prefixed by {@code !}
 * (removed for good), {@code -} (removed) or {@code +} (moved to the end). As in OpenSSL, names the JDK lacks are
 * passed over, a list that selects nothing is an error, and the TLS 1.3 suites are not chosen by the list: they stay
 * enabled unless the list names some of them.
 */
final class CipherString {

    private static final Pattern SEPARATORS = Pattern.compile("[:, ]+");
    private static final Set<String> IGNORED = Set.of("@STRENGTH", "COMPLEMENTOFDEFAULT", "COMPLEMENTOFALL");

    private record Suite(String name, Set<String> tags) {

        static Suite of(String name) {
            Set<String> tags = new LinkedHashSet<>();
            String body = name.substring("TLS_".length());
            int with = body.indexOf("_WITH_");
            String exchange = body.substring(0, with);
            String cipher = body.substring(with + "_WITH_".length());
            switch (exchange) {
                case "ECDHE_ECDSA" -> tags.addAll(List.of("kECDHE", "kEECDH", "ECDHE", "EECDH", "aECDSA", "ECDSA"));
                case "ECDHE_RSA" -> tags.addAll(List.of("kECDHE", "kEECDH", "ECDHE", "EECDH", "aRSA"));
                case "DHE_RSA" -> tags.addAll(List.of("kDHE", "kEDH", "DHE", "EDH", "aRSA"));
                case "DHE_DSS" -> tags.addAll(List.of("kDHE", "kEDH", "DHE", "EDH", "aDSS", "DSS"));
                case "RSA" -> tags.addAll(List.of("kRSA", "aRSA", "RSA"));
                case "ECDH_anon" -> tags.addAll(List.of("kECDHE", "kEECDH", "aNULL", "AECDH"));
                case "DH_anon" -> tags.addAll(List.of("kDHE", "kEDH", "aNULL", "ADH"));
                default -> tags.add("k" + exchange);
            }
            boolean strong = true;
            if (cipher.startsWith("AES_128_")) {
                tags.addAll(List.of("AES", "AES128"));
            } else if (cipher.startsWith("AES_256_")) {
                tags.addAll(List.of("AES", "AES256"));
            } else if (cipher.startsWith("CHACHA20_POLY1305")) {
                tags.add("CHACHA20");
            } else if (cipher.startsWith("3DES_EDE_CBC")) {
                tags.addAll(List.of("3DES", "MEDIUM"));
                strong = false;
            } else if (cipher.startsWith("RC4_")) {
                tags.addAll(List.of("RC4", "LOW"));
                strong = false;
            } else if (cipher.startsWith("NULL")) {
                tags.addAll(List.of("eNULL", "NULL"));
                strong = false;
            }
            if (cipher.contains("_GCM_")) {
                tags.add("AESGCM");
            }
            if (cipher.contains("_CCM")) {
                tags.add("AESCCM");
            }
            String mac = cipher.substring(cipher.lastIndexOf('_') + 1);
            switch (mac) {
                case "SHA" -> tags.addAll(List.of("SHA1", "SHA", "SSLv3", "TLSv1"));
                case "MD5" -> tags.addAll(List.of("MD5", "SSLv3", "TLSv1"));
                default -> tags.addAll(List.of(mac, "TLSv1.2"));
            }
            if (strong && !tags.contains("aNULL")) {
                tags.add("HIGH");
            }
            if (!tags.contains("eNULL")) {
                tags.addAll(List.of("ALL", "DEFAULT"));
            }
            String openSsl = CipherSuiteConverter.toOpenSsl(name, false);
            if (openSsl != null) {
                tags.add(openSsl);
            }
            tags.add(name);
            return new Suite(name, Set.copyOf(tags));
        }

        boolean matches(List<String> terms) {
            return terms.stream().allMatch(tags::contains);
        }
    }

    private CipherString() {
    }

    /**
     * The JDK suites {@code text} selects, TLS 1.3 ones first, in the order of {@code enabled} (the JDK's preference)
     * as moved by {@code +} items.
     *
     * @param enabled   the JDK's enabled suites, in its order of preference
     * @param supported every suite the JDK has, which a list may name one by one
     */
    static List<String> select(String text, List<String> enabled, Set<String> supported) {
        List<String> tls13 = enabled.stream().filter(CipherString::isTls13).toList();
        List<String> named13 = new ArrayList<>();
        List<Suite> candidates = new ArrayList<>();
        for (String name : enabled) {
            if (!isTls13(name) && name.contains("_WITH_")) {
                candidates.add(Suite.of(name));
            }
        }
        List<Suite> chosen = new ArrayList<>();
        Set<String> banned = new LinkedHashSet<>();
        for (String item : SEPARATORS.split(text.trim())) {
            if (item.isEmpty() || IGNORED.contains(item) || item.startsWith("@SECLEVEL=")) {
                continue;
            }
            char op = item.charAt(0);
            String body = op == '!' || op == '-' || op == '+' ? item.substring(1) : item;
            if (op != '!' && op != '-' && op != '+' && isTls13(body) && supported.contains(body)) {
                named13.add(body);
                continue;
            }
            List<Suite> matched = matching(body, candidates, supported);
            switch (op) {
                case '!' -> {
                    chosen.removeAll(matched);
                    matched.forEach(suite -> banned.add(suite.name()));
                }
                case '-' -> chosen.removeAll(matched);
                case '+' -> {
                    List<Suite> moved = chosen.stream().filter(matched::contains).toList();
                    chosen.removeAll(moved);
                    chosen.addAll(moved);
                }
                default -> matched.stream()
                    .filter(suite -> !chosen.contains(suite) && !banned.contains(suite.name()))
                    .forEach(chosen::add);
            }
        }
        List<String> selected = new ArrayList<>(named13.isEmpty() ? tls13 : named13);
        chosen.forEach(suite -> selected.add(suite.name()));
        if (chosen.isEmpty() && named13.isEmpty()) {
            throw new IllegalArgumentException("no cipher suite of the JDK matches (OpenSSL cipher list such as "
                + "HIGH:!aNULL:!MD5, or JDK names such as TLS_AES_128_GCM_SHA256, separated by \":\")");
        }
        return List.copyOf(selected);
    }

    private static List<Suite> matching(String body, List<Suite> candidates, Set<String> supported) {
        List<String> terms = List.of(body.split("\\+"));
        List<Suite> matched = candidates.stream().filter(suite -> suite.matches(terms)).toList();
        if (!matched.isEmpty() || terms.size() > 1) {
            return matched;
        }
        String name = body.startsWith("TLS_") || body.startsWith("SSL_") ? body
            : CipherSuiteConverter.toJava(body, "TLS");
        return name != null && supported.contains(name) && name.contains("_WITH_") && !isTls13(name)
            ? List.of(Suite.of(name)) : List.of();
    }

    private static boolean isTls13(String name) {
        return name.toUpperCase(Locale.ROOT).startsWith("TLS_") && !name.contains("_WITH_")
            && !name.equals("TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    }
}
