package onair.stats;

import onair.exec.ChildSnapshot;
import onair.relay.RelaySnapshot;
import onair.stream.Client;
import onair.stream.StreamStats;
import tools.jackson.jr.ob.JSON;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statistics as JSON: what nginx-rtmp's XML holds, in snake_case with explicit units, plus Onair's extras per
 * stream (viewers per protocol, frames per second, keyframe interval, A/V drift, timestamp repairs, dropped frames).
 */
public final class StatJson {

    public static final String CONTENT_TYPE = "application/json";

    private StatJson() {
    }

    /** The JSON document for {@code snapshot}; {@code sections} leave out streams or clients as for the XML. */
    public static String render(StatSnapshot snapshot, Set<StatSection> sections) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", snapshot.version());
        root.put("pid", snapshot.pid());
        root.put("uptime_seconds", snapshot.uptimeSeconds());
        root.put("accepted", snapshot.accepted());
        root.put("connections", snapshot.connections());
        root.put("bandwidth_in_bits", snapshot.bandwidthIn());
        root.put("bytes_in", snapshot.bytesIn());
        root.put("bandwidth_out_bits", snapshot.bandwidthOut());
        root.put("bytes_out", snapshot.bytesOut());
        List<Object> servers = new ArrayList<>();
        for (StatSnapshot.Server server : snapshot.servers()) {
            List<Object> applications = new ArrayList<>();
            for (StatSnapshot.Application application : server.applications()) {
                Map<String, Object> app = new LinkedHashMap<>();
                app.put("name", application.name());
                app.put("client_count", application.clientCount());
                if (sections.contains(StatSection.LIVE)) {
                    app.put("streams", application.streams().stream()
                        .map(stream -> stream(stream, sections.contains(StatSection.CLIENTS))).toList());
                }
                applications.add(app);
            }
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", server.index());
            block.put("applications", applications);
            servers.add(block);
        }
        root.put("servers", servers);
        root.put("exec", exec(snapshot.exec()));
        if (snapshot.directory() != null) {
            Map<String, Object> directory = new LinkedHashMap<>();
            directory.put("backend", snapshot.directory().backend());
            directory.put("target", snapshot.directory().target());
            directory.put("up", snapshot.directory().up());
            directory.put("leases_held", snapshot.directory().held());
            directory.put("leases_waiting", snapshot.directory().waiting());
            root.put("directory", directory);
        }
        return JSON.std.asString(root);
    }

    private static Map<String, Object> exec(StatSnapshot.Exec exec) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("running", exec.counters().running());
        json.put("restarts", exec.counters().restarts());
        json.put("failed_starts", exec.counters().failedStarts());
        List<Object> children = new ArrayList<>();
        for (ChildSnapshot child : exec.children()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", child.id());
            entry.put("app", child.app());
            entry.put("name", child.name());
            entry.put("kind", child.kind().directive());
            entry.put("command", child.command());
            entry.put("pid", child.pid());
            entry.put("state", child.state().label());
            entry.put("restarts", child.restarts());
            entry.put("last_exit_code", child.lastExitCode());
            entry.put("started_at", child.startedAt() == null ? null : child.startedAt().toString());
            children.add(entry);
        }
        json.put("children", children);
        return json;
    }

    private static Map<String, Object> stream(StatSnapshot.Stream stream, boolean withClients) {
        StreamStats stats = stream.stats();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", stream.name());
        json.put("live", stats.live());
        json.put("time_ms", stats.ageMillis());
        json.put("client_count", stream.clients().size());
        Map<String, Integer> viewers = new LinkedHashMap<>();
        for (Client.Protocol protocol : Client.Protocol.values()) {
            viewers.put(protocol.label, stream.viewersByProtocol().getOrDefault(protocol.label, 0));
        }
        json.put("viewers", viewers);
        json.put("frames_in", stats.framesIn());
        json.put("bytes_in", stats.bytesIn());
        json.put("bytes_out", stats.bytesOut());
        json.put("bitrate_in_bits", stats.bitrateIn());
        json.put("bitrate_out_bits", stats.bitrateOut());
        json.put("bitrate_audio_bits", stats.bitrateAudio());
        json.put("bitrate_video_bits", stats.bitrateVideo());
        json.put("fps", stats.fps());
        json.put("keyframe_interval_seconds", stats.keyframeInterval());
        json.put("av_drift_ms", stats.avDriftMillis());
        json.put("timestamp_ms", stats.timestamp());
        json.put("timestamp_repairs", stats.timestampRepairs());
        json.put("dropped_frames", stats.droppedFrames());
        StreamStats.Video video = stats.video();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("codec", video.codecName());
        v.put("profile", video.profileName());
        v.put("level", video.level() / 10.0);
        v.put("width", video.width());
        v.put("height", video.height());
        v.put("frame_rate", video.frameRate());
        json.put("video", v);
        StreamStats.Audio audio = stats.audio();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("codec", audio.codecName());
        a.put("profile", audio.profileName());
        a.put("channels", audio.channels());
        a.put("sample_rate", audio.sampleRate());
        json.put("audio", a);
        json.put("tracks", stats.tracks().stream().map(StreamStats.Track::json).toList());
        json.put("relays", stream.relays().stream().map(StatJson::relay).toList());
        if (withClients) {
            json.put("clients", stream.clients().stream().map(StatJson::client).toList());
        }
        return json;
    }

    private static Map<String, Object> relay(RelaySnapshot relay) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("direction", relay.direction());
        json.put("url", relay.url());
        json.put("state", relay.state());
        json.put("last_error", relay.lastError());
        json.put(relay.direction().equals("push") ? "bytes_out" : "bytes_in", relay.bytes());
        json.put("dropped_frames", relay.droppedFrames());
        json.put("reconnects", relay.reconnects());
        return json;
    }

    private static Map<String, Object> client(StatSnapshot.Entry entry) {
        Client client = entry.client();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", client.id());
        json.put("protocol", client.protocol().label);
        json.put("address", client.address());
        json.put("time_ms", client.ageMillis());
        json.put("flashver", client.flashver());
        json.put("swfurl", client.swfurl());
        json.put("tcurl", client.tcurl());
        json.put("pageurl", client.pageurl());
        json.put("publishing", entry.publishing());
        json.put("active", entry.active());
        json.put("dropped_frames", entry.dropped());
        json.put("bytes_in", client.bytesIn());
        json.put("bytes_out", client.bytesOut());
        return json;
    }
}
