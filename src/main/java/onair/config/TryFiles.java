package onair.config;

import java.util.List;

/**
 * nginx's {@code try_files FILE… URI|=CODE|@NAME}: the first entry naming an existing file (a directory when it ends
 * with {@code /}) under the location's root or alias is served; when none does, the last argument answers, as an
 * internal redirect to a URI, a status code, or a named location (ngx_http_core_module, {@code try_files}).
 *
 * @param files the entries checked in order, with their variables
 * @param uri   the URI to redirect to internally; null when the last argument is a code or a name
 * @param code  the status of {@code =CODE}; 0 otherwise
 * @param named the named location of {@code @NAME}, with its {@code @}; null otherwise
 */
public record TryFiles(List<HttpValue> files, HttpValue uri, int code, String named) {

    public TryFiles {
        files = List.copyOf(files);
        if ((uri != null ? 1 : 0) + (code != 0 ? 1 : 0) + (named != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException("try_files ends with one URI, code or named location");
        }
    }

    static TryFiles parse(Directive d) {
        List<String> args = d.args();
        List<HttpValue> files = args.subList(0, args.size() - 1).stream().map(HttpValue::of).toList();
        String last = args.getLast();
        if (last.startsWith("=")) {
            String code = last.substring(1);
            return new TryFiles(files, null, HttpLocation.code(d, code, 0, "invalid code \"" + last + "\""), null);
        }
        if (last.startsWith("@")) {
            if (last.length() == 1) {
                throw ConfigException.invalidValue(d, last, "a named location needs a name");
            }
            return new TryFiles(files, null, 0, last);
        }
        return new TryFiles(files, HttpValue.of(last), 0, null);
    }
}
