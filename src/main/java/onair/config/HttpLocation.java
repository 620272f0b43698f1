package onair.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

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
}
