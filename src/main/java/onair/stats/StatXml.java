package onair.stats;

import onair.relay.RelaySnapshot;
import onair.stream.StreamStats;

import java.util.Locale;
import java.util.Set;

/**
 * nginx-rtmp's statistics XML ({@code ngx_rtmp_stat_module.c}): the same elements in the same order, so that
 * {@code stat.xsl} and the dashboards and exporters that parse this page keep working. Bandwidths are bits per
 * second, bytes are totals, times are milliseconds (uptime seconds). Onair adds a {@code <relay>} per configured relay
 * of a stream, after its clients, which {@code stat.xsl} passes over.
 */
public final class StatXml {

    public static final String CONTENT_TYPE = "text/xml";

    private static final String NGINX_RTMP_VERSION = "1.1.4";

    private final StringBuilder out = new StringBuilder(4096);
    private final Set<StatSection> sections;

    private StatXml(Set<StatSection> sections) {
        this.sections = sections;
    }

    /**
     * The XML document for {@code snapshot}, with the {@code <?xml-stylesheet?>} instruction when
     * {@code stylesheet} (the {@code rtmp_stat_stylesheet} value) is not null.
     */
    public static String render(StatSnapshot snapshot, Set<StatSection> sections, String stylesheet) {
        return new StatXml(sections).document(snapshot, stylesheet);
    }

    private String document(StatSnapshot snapshot, String stylesheet) {
        out.append("<?xml version=\"1.0\" encoding=\"utf-8\" ?>\r\n");
        if (stylesheet != null && !stylesheet.isEmpty()) {
            out.append("<?xml-stylesheet type=\"text/xsl\" href=\"").append(escape(stylesheet)).append("\" ?>\r\n");
        }
        out.append("<rtmp>\r\n");
        line("nginx_version", "onair/" + snapshot.version());
        line("nginx_rtmp_version", NGINX_RTMP_VERSION);
        line("compiler", "Java " + Runtime.version());
        line("built", "onair " + snapshot.version());
        line("pid", snapshot.pid());
        line("uptime", snapshot.uptimeSeconds());
        line("naccepted", snapshot.accepted());
        line("bw_in", snapshot.bandwidthIn());
        line("bytes_in", snapshot.bytesIn());
        line("bw_out", snapshot.bandwidthOut());
        line("bytes_out", snapshot.bytesOut());
        for (StatSnapshot.Server server : snapshot.servers()) {
            out.append("<server>\r\n");
            for (StatSnapshot.Application application : server.applications()) {
                application(application);
            }
            out.append("</server>\r\n");
        }
        out.append("</rtmp>\r\n");
        return out.toString();
    }

    private void application(StatSnapshot.Application application) {
        out.append("<application>\r\n");
        line("name", application.name());
        if (sections.contains(StatSection.LIVE)) {
            out.append("<live>\r\n");
            for (StatSnapshot.Stream stream : application.streams()) {
                stream(stream);
            }
            line("nclients", application.clientCount());
            out.append("</live>\r\n");
        }
        out.append("</application>\r\n");
    }

    private void stream(StatSnapshot.Stream stream) {
        StreamStats stats = stream.stats();
        out.append("<stream>\r\n");
        line("name", stream.name());
        element("time", stats.ageMillis());
        line("bw_in", stats.bitrateIn());
        line("bytes_in", stats.bytesIn());
        line("bw_out", stats.bitrateOut());
        line("bytes_out", stats.bytesOut());
        line("bw_audio", stats.bitrateAudio());
        line("bw_video", stats.bitrateVideo());
        boolean published = false;
        for (StatSnapshot.Entry entry : stream.clients()) {
            published |= entry.publishing();
            if (sections.contains(StatSection.CLIENTS)) {
                client(entry, stats);
            }
        }
        if (published) {
            meta(stats);
        }
        for (RelaySnapshot relay : stream.relays()) {
            relay(relay);
        }
        line("nclients", stream.clients().size());
        if (stats.live()) {
            out.append("<publishing/>\r\n");
            out.append("<active/>\r\n");
        }
        out.append("</stream>\r\n");
    }

    private void client(StatSnapshot.Entry entry, StreamStats stats) {
        out.append("<client>");
        element("id", entry.client().id());
        element("address", entry.client().address());
        element("time", entry.client().ageMillis());
        optional("flashver", entry.client().flashver());
        optional("pageurl", entry.client().pageurl());
        optional("swfurl", entry.client().swfurl());
        element("dropped", entry.dropped());
        element("avsync", stats.avDriftMillis());
        element("timestamp", stats.timestamp());
        if (entry.publishing()) {
            out.append("<publishing/>");
        }
        if (entry.active()) {
            out.append("<active/>");
        }
        out.append("</client>\r\n");
    }

    private void relay(RelaySnapshot relay) {
        out.append("<relay>");
        element("direction", relay.direction());
        element("url", relay.url());
        element("state", relay.state());
        if (relay.lastError() != null) {
            element("last_error", relay.lastError());
        }
        element("bytes", relay.bytes());
        element("dropped", relay.droppedFrames());
        element("reconnects", relay.reconnects());
        out.append("</relay>\r\n");
    }

    private void meta(StreamStats stats) {
        StreamStats.Video video = stats.video();
        StreamStats.Audio audio = stats.audio();
        out.append("<meta><video>");
        element("width", video.width());
        element("height", video.height());
        element("frame_rate", Math.round(video.frameRate() > 0 ? video.frameRate() : stats.fps()));
        optional("codec", video.codecName());
        if (video.profile() != 0) {
            element("profile", video.profileName());
        }
        if (video.level() != 0) {
            element("compat", video.compat());
            element("level", String.format(Locale.ROOT, "%.1f", video.level() / 10.0));
        }
        out.append("</video><audio>");
        optional("codec", audio.codecName());
        if (audio.objectType() != 0) {
            element("profile", audio.profileName());
        }
        if (audio.channels() != 0) {
            element("channels", audio.channels());
        }
        if (audio.sampleRate() != 0) {
            element("sample_rate", audio.sampleRate());
        }
        out.append("</audio></meta>\r\n");
    }

    private void line(String name, Object value) {
        element(name, value);
        out.append("\r\n");
    }

    private void optional(String name, String value) {
        if (!value.isEmpty()) {
            element(name, value);
        }
    }

    private void element(String name, Object value) {
        out.append('<').append(name).append('>').append(escape(String.valueOf(value))).append("</").append(name)
            .append('>');
    }

    /** Escapes markup and leaves out characters XML 1.0 cannot carry. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                default -> {
                    if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF || c == '\t' || c == '\n' || c == '\r') {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
