package onair.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The path and query of a request target, percent-decoded and normalised: {@code //} and {@code .} segments collapse,
 * while a {@code ..} segment, a backslash, a NUL or any control character, malformed escapes or invalid UTF-8 are
 * refused, so that a path never names anything above the location it maps to.
 */
record RequestPath(String path, Map<String, List<String>> query) {

    /** A request target that is refused with 400 Bad Request. */
    static final class BadPathException extends Exception {
        BadPathException(String message) {
            super(message, null, false, false);
        }
    }

    static RequestPath parse(String target) throws BadPathException {
        if (target.isEmpty() || target.charAt(0) != '/') {
            throw new BadPathException("request target is not an absolute path");
        }
        int hash = target.indexOf('#');
        String withoutFragment = hash < 0 ? target : target.substring(0, hash);
        int question = withoutFragment.indexOf('?');
        String rawPath = question < 0 ? withoutFragment : withoutFragment.substring(0, question);
        String rawQuery = question < 0 ? "" : withoutFragment.substring(question + 1);
        String decoded = decode(rawPath, false);
        List<String> segments = new ArrayList<>();
        for (String segment : decoded.split("/", -1)) {
            if (segment.equals("..")) {
                throw new BadPathException("\"..\" in path");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        boolean directory = decoded.endsWith("/") || decoded.endsWith("/.");
        String path = "/" + String.join("/", segments) + (directory && !segments.isEmpty() ? "/" : "");
        return new RequestPath(path, query(rawQuery));
    }

    /** The first value of query parameter {@code name}, or null. */
    String parameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static Map<String, List<String>> query(String raw) throws BadPathException {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), true);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), true);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String decode(String raw, boolean plusIsSpace) throws BadPathException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            int b;
            if (c == '%') {
                if (i + 2 >= raw.length() || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0) {
                    throw new BadPathException("malformed percent escape");
                }
                b = hex(raw.charAt(i + 1)) << 4 | hex(raw.charAt(i + 2));
                i += 2;
            } else if (c > 0x7E) {
                throw new BadPathException("raw non-ASCII character in request target");
            } else {
                b = plusIsSpace && c == '+' ? ' ' : c;
            }
            if (b < 0x20 || b == 0x7F) {
                throw new BadPathException(b == 0 ? "NUL in request target" : "control character in request target");
            }
            if (b == '\\') {
                throw new BadPathException("backslash in request target");
            }
            bytes.write(b);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadPathException("request target is not UTF-8");
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
