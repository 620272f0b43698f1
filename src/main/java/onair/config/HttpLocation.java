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
 * @param path         the location's path, or its regular expression
 * @param match        how the path matches: its modifier
 * @param regex        the compiled regular expression of a {@link Match#REGEX} location; null otherwise
 * @param root         files are looked up as root + request path; null when unset
 * @param alias        files are looked up as alias + the request path after the location path; null when unset
 * @param types        file extension (lower case) → content type
 * @param headers      {@code add_header} lines in order
 * @param access       {@code allow}/{@code deny} rules, first match wins; empty allows everyone
 * @param rtmpStat     the arguments of {@code rtmp_stat} ({@code all}, {@code global}, {@code live}, {@code clients});
 *                     empty when the location has none
 * @param statStylesheet the {@code rtmp_stat_stylesheet} URL; null when unset
 * @param rtmpControl  the arguments of {@code rtmp_control} ({@code all}, {@code drop}, {@code redirect},
 *                     {@code record}, {@code relay}, {@code reconnect}); empty when the location has none
 * @param rtmpMetrics  Onair's {@code rtmp_metrics on}: the location answers Prometheus metrics
 * @param rules        its own {@code return} and {@code if} directives in file order (nginx does not inherit them)
 * @param errorPages   {@code error_page} by status code, from the nearest block that has some
 * @param locations    the locations nested in it
 * @param tryFiles     its own {@code try_files}; null when it has none (nginx does not inherit it)
 */
public record HttpLocation(String path, Match match, Pattern regex, Path root, Path alias, Map<String, String> types,
        String defaultType, List<Header> headers, List<AccessRule> access, boolean flvLive, List<String> rtmpStat,
        String statStylesheet, List<String> rtmpControl, boolean rtmpMetrics, List<HttpRule> rules,
        Map<Integer, HttpRule.ErrorPage> errorPages, List<HttpLocation> locations, TryFiles tryFiles) {

    /** How a location's path matches a request path, by nginx's modifiers. */
    public enum Match {
        /** No modifier: the longest matching prefix, unless a regular expression matches. */
        PREFIX,
        /** {@code =}: only this path, before anything else. */
        EXACT,
        /** {@code ^~}: a prefix that, when it is the longest, is chosen without trying regular expressions. */
        PREFIX_NO_REGEX,
        /** {@code ~} or {@code ~*} (case-insensitive): a regular expression, tried in file order. */
        REGEX,
        /**
         * {@code @NAME}: never matched by a request path, only reached from {@code try_files} or {@code error_page};
         * also the implicit location of a server's own {@code root} and {@code try_files}.
         */
        NAMED
    }

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
    private static final List<String> CONTROL_SECTIONS = List.of("all", "drop", "redirect", "record", "relay",
        "reconnect");
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
    static final Setting<TryFiles> TRY_FILES =
            SETTINGS.arguments("try_files", Context.SERVER_LOCATIONS, null, 2, Integer.MAX_VALUE, TryFiles::parse);
    /** nginx's {@code error_page}: repeats collect; a block with none inherits the enclosing block's. */
    static final Setting<Map<Integer, HttpRule.ErrorPage>> ERROR_PAGES = SETTINGS.add(new Setting<>(
            List.of("error_page"), Context.LOCATIONS, Map.of(), 2, Integer.MAX_VALUE, false, Setting.Repeat.COLLECT,
            HttpLocation::errorPage, (earlier, later) -> {
                Map<Integer, HttpRule.ErrorPage> all = new HashMap<>(earlier);
                all.putAll(later);
                return Map.copyOf(all);
            }));

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
        Objects.requireNonNull(match, "match");
        rules = List.copyOf(rules);
        errorPages = Map.copyOf(errorPages);
        locations = List.copyOf(locations);
        if (match == Match.REGEX && regex == null) {
            throw new IllegalArgumentException("a regular expression location needs its pattern");
        }
        if (root != null && alias != null) {
            throw new IllegalArgumentException("a location has a root or an alias, not both");
        }
    }

    /**
     * The location of the scope {@code location}: root, types, default_type, add_header and allow/deny are inherited
     * from the nearest block that gives them; the content directives are the location's own, one at most.
     */
    static HttpLocation from(Scope location, Match match, Pattern regex, List<HttpRule> rules,
            List<HttpLocation> nested) {
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
        return new HttpLocation(d.args().getLast(), match, regex, alias != null ? null : location.get(ROOT), alias,
                location.get(TYPES), location.get(FALLBACK_TYPE), location.get(HEADERS), location.get(ACCESS), flvLive,
                rtmpStat, statStylesheet, rtmpControl, rtmpMetrics, rules, location.get(ERROR_PAGES), nested,
                location.own(TRY_FILES).orElse(null));
    }

    /**
     * The location that answers a request no location matches, as nginx serves it from the {@code server} block's
     * own settings: its {@code root} and {@code try_files}; null when the server has neither.
     */
    static HttpLocation unmatched(Scope server) {
        TryFiles tryFiles = server.own(TRY_FILES).orElse(null);
        if (tryFiles == null && server.find(ROOT).isEmpty()) {
            return null;
        }
        return new HttpLocation("", Match.NAMED, null, server.get(ROOT), null, server.get(TYPES),
                server.get(FALLBACK_TYPE), server.get(HEADERS), server.get(ACCESS), false, List.of(), null, List.of(),
                false, List.of(), server.get(ERROR_PAGES), List.of(), tryFiles);
    }

    /** {@code location = PATH}: matches only this path. */
    public boolean exact() {
        return match == Match.EXACT;
    }

    /** Whether {@code path} (decoded and normalised) matches this location's path or regular expression. */
    public boolean matches(String path) {
        return switch (match) {
            case EXACT -> this.path.equals(path);
            case PREFIX, PREFIX_NO_REGEX -> path.startsWith(this.path);
            case REGEX -> regex.matcher(path).find();
            case NAMED -> false;
        };
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

    /** {@code error_page CODE… [=[RESPONSE]] URI}: each code mapped to the page. */
    private static Map<Integer, HttpRule.ErrorPage> errorPage(Directive d) {
        List<String> args = d.args();
        int response = 0;
        int codes = args.size() - 1;
        if (args.size() > 2 && args.get(codes - 1).startsWith("=")) {
            String override = args.get(codes - 1).substring(1);
            response = override.isEmpty() ? -1 : code(d, override, 100, "invalid value \"=" + override + "\"");
            codes--;
        }
        HttpRule.ErrorPage page = new HttpRule.ErrorPage(response, HttpValue.of(args.getLast()));
        Map<Integer, HttpRule.ErrorPage> pages = new HashMap<>();
        for (String code : args.subList(0, codes)) {
            if (code(d, code, 300, "value \"" + code + "\" must be between 300 and 599") > 599) {
                throw ConfigException.at(d, "value \"" + code + "\" must be between 300 and 599");
            }
            pages.put(Integer.parseInt(code), page);
        }
        return Map.copyOf(pages);
    }

    /** A status code of at most three digits, at least {@code min}. */
    static int code(Directive d, String text, int min, String message) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)
                || Integer.parseInt(text) < min) {
            throw ConfigException.at(d, message);
        }
        return Integer.parseInt(text);
    }

    static Header header(Directive d) {
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
