package onair.record;

import onair.config.RecordConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * A recording's file name as nginx-rtmp's {@code ngx_rtmp_record_make_path} builds it:
 * {@code record_path/NAME[-UNIXTIME]SUFFIX}, the stream name URI-component escaped and cut at a {@code /../}, the
 * Unix time (seconds) added with {@code record_unique}, and the suffix passed through {@code strftime} (local time)
 * when it contains a {@code %}.
 */
final class RecordPath {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private RecordPath() {
    }

    static Path of(RecordConfig.Recorder recorder, String stream, Instant time, ZoneId zone) {
        StringBuilder name = new StringBuilder(escape(stream));
        if (recorder.unique()) {
            name.append('-').append(time.getEpochSecond());
        }
        String suffix = recorder.suffix();
        name.append(suffix.indexOf('%') >= 0 ? strftime(suffix, time.atZone(zone)) : suffix);
        return recorder.path().resolve(name.toString());
    }

    /** nginx's {@code ngx_escape_uri} ({@code NGX_ESCAPE_URI_COMPONENT}) of the name cut at a {@code /../}. */
    static String escape(String stream) {
        int cut = stream.indexOf("/../");
        String name = cut >= 0 ? stream.substring(0, cut) : stream;
        StringBuilder escaped = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~') {
                escaped.append((char) c);
            } else {
                escaped.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return escaped.toString();
    }

    /** C {@code strftime} in the C locale for the usual conversions; an unknown one is kept as written. */
    static String strftime(String format, ZonedDateTime t) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char spec = format.charAt(++i);
            switch (spec) {
                case 'Y' -> out.append(t.getYear());
                case 'y' -> two(out, t.getYear() % 100);
                case 'C' -> two(out, t.getYear() / 100);
                case 'm' -> two(out, t.getMonthValue());
                case 'd' -> two(out, t.getDayOfMonth());
                case 'e' -> out.append(t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
                case 'j' -> out.append(String.format("%03d", t.getDayOfYear()));
                case 'H' -> two(out, t.getHour());
                case 'I' -> two(out, (t.getHour() + 11) % 12 + 1);
                case 'M' -> two(out, t.getMinute());
                case 'S' -> two(out, t.getSecond());
                case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case 'a' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'A' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT));
                case 'b', 'h' -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'B' -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT));
                case 'u' -> out.append(t.getDayOfWeek().getValue());
                case 'w' -> out.append(t.getDayOfWeek().getValue() % 7);
                case 's' -> out.append(t.toEpochSecond());
                case 'z' -> out.append(t.getOffset().getId().equals("Z") ? "+0000"
                    : t.getOffset().getId().replace(":", ""));
                case 'Z' -> out.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'F' -> out.append(strftime("%Y-%m-%d", t));
                case 'T' -> out.append(strftime("%H:%M:%S", t));
                case 'D' -> out.append(strftime("%m/%d/%y", t));
                case 'R' -> out.append(strftime("%H:%M", t));
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '%' -> out.append('%');
                default -> out.append('%').append(spec);
            }
        }
        return out.toString();
    }

    private static void two(StringBuilder out, int value) {
        if (value < 10) {
            out.append('0');
        }
        out.append(value);
    }
}
