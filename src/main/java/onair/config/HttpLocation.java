package onair.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code location} block of an http {@code server}, with what it inherits from its server and the {@code http}
 * block (root, types, default_type, add_header, allow/deny, as nginx inherits them).
 *
 * @param exact        {@code location = PATH}: matches only this path
 * @param root         files are looked up as root + request path; null when unset
 * @param alias        files are looked up as alias + the request path after the location path; null when unset
 * @param types        file extension (lower case) → content type
 * @param headers      {@code add_header} lines in order
 * @param access       {@code allow}/{@code deny} rules, first match wins; empty allows everyone
 * @param rtmpStat     the arguments of {@code rtmp_stat} ({@code all}, {@code global}, {@code live}, {@code clients});
 *                     empty when the location has none
 * @param statStylesheet the {@code rtmp_stat_stylesheet} URL; null when unset
 * @param rtmpControl  the arguments of {@code rtmp_control} ({@code all}, {@code drop}, {@code redirect},
 *                     {@code record}); empty when the location has none
 * @param rtmpMetrics  Onair's {@code rtmp_metrics on}: the location answers Prometheus metrics
 */
public record HttpLocation(String path, boolean exact, Path root, Path alias, Map<String, String> types,
        String defaultType, List<Header> headers, List<AccessRule> access, boolean flvLive, List<String> rtmpStat,
        String statStylesheet, List<String> rtmpControl, boolean rtmpMetrics) {

    /** Types served without a {@code types} block: those of nginx's mime.types that live streaming uses. */
    static final Map<String, String> DEFAULT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("css", "text/css"),
            Map.entry("js", "application/javascript"), Map.entry("mjs", "application/javascript"),
            Map.entry("json", "application/json"), Map.entry("xml", "text/xml"), Map.entry("xsl", "text/xsl"),
            Map.entry("txt", "text/plain"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("ico", "image/x-icon"), Map.entry("webp", "image/webp"), Map.entry("map", "application/json"),
            Map.entry("m3u8", "application/vnd.apple.mpegurl"), Map.entry("ts", "video/mp2t"),
            Map.entry("m4s", "video/iso.segment"), Map.entry("mp4", "video/mp4"), Map.entry("m4a", "audio/mp4"),
            Map.entry("m4v", "video/mp4"), Map.entry("mpd", "application/dash+xml"),
            Map.entry("flv", "video/x-flv"), Map.entry("key", "application/octet-stream"),
            Map.entry("vtt", "text/vtt"), Map.entry("aac", "audio/aac"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("webm", "video/webm"));

    static final String DEFAULT_TYPE = "application/octet-stream";

    private static final List<String> STAT_SECTIONS = List.of("all", "global", "live", "clients");
    private static final List<String> CONTROL_SECTIONS = List.of("all", "drop", "redirect", "record", "relay");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    static final Settings SETTINGS = new Settings();
    static final Setting<Path> ROOT = SETTINGS.path("root", Context.LOCATIONS);
    static final Setting<Path> ALIAS = SETTINGS.path("alias", Context.IN_LOCATION);
    static final Setting<Map<String, String>> TYPES =
            SETTINGS.block("types", Context.LOCATIONS, DEFAULT_TYPES, HttpLocation::types);
    /** {@code default_type}: the type of files whose extension {@code types} does not list. */
    static final Setting<String> FALLBACK_TYPE = SETTINGS.value("default_type", Context.LOCATIONS, DEFAULT_TYPE, v -> v);
    static final Setting<List<Header>> HEADERS =
            SETTINGS.list(List.of("add_header"), Context.LOCATIONS, 2, 3, HttpLocation::header);
    /** nginx's http {@code allow|deny ADDRESS|CIDR|all}: one argument, for every request. */
    static final Setting<List<AccessRule>> ACCESS =
            SETTINGS.list(List.of("allow", "deny"), Context.LOCATIONS, 1, 1, HttpLocation::accessRule);
    static final Setting<Boolean> FLV_LIVE = SETTINGS.flag("flv_live", Context.IN_LOCATION, false);
    /** Accepted and checked, as nginx-http-flv-module configurations write it; its value is not used. */
    static final Setting<Boolean> CHUNKED = SETTINGS.add(new Setting<>(List.of("chunked_transfer_encoding"),
            Context.LOCATIONS, true, 1, 1, false, Setting.Repeat.LAST, Setting.joined(Units::flag), null));
    static final Setting<List<String>> RTMP_STAT = SETTINGS.arguments("rtmp_stat", Context.IN_LOCATION, List.of(), 1,
            Integer.MAX_VALUE, d -> sections(d, STAT_SECTIONS));
    static final Setting<String> STAT_STYLESHEET =
            SETTINGS.value("rtmp_stat_stylesheet", Context.IN_LOCATION, null, v -> v);
    static final Setting<List<String>> RTMP_CONTROL = SETTINGS.arguments("rtmp_control", Context.IN_LOCATION,
            List.of(), 1, Integer.MAX_VALUE, d -> sections(d, CONTROL_SECTIONS));
    static final Setting<Boolean> RTMP_METRICS = SETTINGS.flag("rtmp_metrics", Context.IN_LOCATION, false);

    /** One {@code add_header NAME VALUE [always]}; without {@code always} it is added to successful responses only. */
    public record Header(String name, String value, boolean always) {

        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public HttpLocation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(defaultType, "defaultType");
        types = Map.copyOf(types);
        headers = List.copyOf(headers);
        rtmpStat = List.copyOf(rtmpStat);
        rtmpControl = List.copyOf(rtmpControl);
        access = List.copyOf(access);
        if (root != null && alias != null) {
            throw new IllegalArgumentException("a location has a root or an alias, not both");
        }
    }

    /**
     * The location of the scope {@code location}: root, types, default_type, add_header and allow/deny are inherited
     * from the nearest block that gives them; the content directives are the location's own, one at most.
     */
    static HttpLocation from(Scope location) {
        Directive d = location.block();
        boolean flvLive = location.get(FLV_LIVE);
        List<String> rtmpStat = location.get(RTMP_STAT);
        String statStylesheet = location.get(STAT_STYLESHEET);
        List<String> rtmpControl = location.get(RTMP_CONTROL);
        boolean rtmpMetrics = location.get(RTMP_METRICS);
        int contents = (flvLive ? 1 : 0) + (rtmpStat.isEmpty() ? 0 : 1) + (rtmpControl.isEmpty() ? 0 : 1)
                + (rtmpMetrics ? 1 : 0) + (location.has(ALIAS) || location.has(ROOT) ? 1 : 0);
        if (contents > 1) {
            throw ConfigException.at(d, "location \"" + d.args().getLast()
                    + "\" has more than one of root/alias, flv_live, rtmp_stat, rtmp_control and rtmp_metrics");
        }
        if (statStylesheet != null && rtmpStat.isEmpty()) {
            throw ConfigException.at(d, "\"rtmp_stat_stylesheet\" without \"rtmp_stat\" in location \""
                    + d.args().getLast() + "\"");
        }
        Path alias = location.get(ALIAS);
        return new HttpLocation(d.args().getLast(), d.args().getFirst().equals("=") && d.args().size() == 2,
                alias != null ? null : location.get(ROOT), alias, location.get(TYPES), location.get(FALLBACK_TYPE),
                location.get(HEADERS), location.get(ACCESS), flvLive, rtmpStat, statStylesheet, rtmpControl,
                rtmpMetrics);
    }

    /** Whether {@code address} may use this location: the first matching rule decides, no rule allows. */
    public boolean allows(InetAddress address) {
        for (AccessRule rule : access) {
            if (rule.matches(address, false)) {
                return rule.allow();
            }
        }
        return true;
    }

    /** The content type for a file name by its extension, or {@link #defaultType()}. */
    public String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String type = dot < 0 ? null : types.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? defaultType : type;
    }

    /** Whether this location serves files: it has a root or an alias. */
    public boolean servesFiles() {
        return root != null || alias != null;
    }

    /** Whether this location has no content directive (files, HTTP-FLV, statistics, control or metrics). */
    public boolean contentFree() {
        return !servesFiles() && !flvLive && rtmpStat.isEmpty() && rtmpControl.isEmpty() && !rtmpMetrics;
    }

    /** The arguments of {@code rtmp_stat} or {@code rtmp_control}, each one of {@code allowed}. */
    private static List<String> sections(Directive d, List<String> allowed) {
        for (String section : d.args()) {
            if (!allowed.contains(section)) {
                throw ConfigException.invalidValue(d, section,
                        "it must be one or more of \"" + String.join("\", \"", allowed) + "\"");
            }
        }
        return List.copyOf(d.args());
    }

    private static Map<String, String> types(Directive d) {
        Map<String, String> types = new HashMap<>();
        for (Directive line : d.block()) {
            if (line.block() != null || line.args().isEmpty()) {
                throw ConfigException.at(line, "invalid types line \"" + line.name() + "\"");
            }
            for (String extension : line.args()) {
                types.put(extension.toLowerCase(Locale.ROOT), line.name());
            }
        }
        return types;
    }

    private static Header header(Directive d) {
        String name = d.args().get(0);
        String value = d.args().get(1);
        if (!HEADER_NAME.matcher(name).matches()) {
            throw ConfigException.invalidValue(d, name, "not a header name");
        }
        if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7F)) {
            throw ConfigException.invalidValue(d, value, "control characters in a header value");
        }
        if (d.args().size() == 3 && !d.args().get(2).equals("always")) {
            throw ConfigException.invalidValue(d, d.args().get(2), "it must be \"always\"");
        }
        return new Header(name, value, d.args().size() == 3);
    }

    private static AccessRule accessRule(Directive d) {
        String value = d.args().getFirst();
        if (value.startsWith("unix:")) {
            throw ConfigException.at(d, "\"unix:\" in \"" + d.name() + "\" directive is not supported yet");
        }
        try {
            return AccessRule.parse(d.name().equals("allow"), List.of(value));
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalidValue(d, value, e.getMessage());
        }
    }
}
