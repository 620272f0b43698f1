package onair.stats;

import onair.stream.Client;
import onair.exec.ExecCounters;
import onair.media.MediaFrame;
import onair.relay.RelaySnapshot;
import onair.relay.RelayState;
import onair.stream.StreamStats;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The statistics in the Prometheus text exposition format 0.0.4: server-wide connection and byte counters, and per
 * live stream (labels {@code app}, {@code name}) viewers per protocol, bitrates, frame rate, keyframe interval, A/V
 * drift, dropped frames and its tracks (labels {@code track}, {@code kind}, {@code codec}, {@code codecs}).
 */
public final class PrometheusMetrics {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private record Labelled(StatSnapshot.Application app, StatSnapshot.Stream stream) {}

    private final StringBuilder out = new StringBuilder(4096);

    private PrometheusMetrics() {
    }

    public static String render(StatSnapshot snapshot) {
        return new PrometheusMetrics().document(snapshot);
    }

    private String document(StatSnapshot snapshot) {
        header("onair_connections", "gauge", "Client connections open now.");
        sample("onair_connections", "", snapshot.connections());
        header("onair_connections_accepted_total", "counter", "Client connections accepted since start.");
        sample("onair_connections_accepted_total", "", snapshot.accepted());
        header("onair_bytes_in_total", "counter", "Bytes received from clients.");
        sample("onair_bytes_in_total", "", snapshot.bytesIn());
        header("onair_bytes_out_total", "counter", "Bytes sent to clients.");
        sample("onair_bytes_out_total", "", snapshot.bytesOut());
        header("onair_uptime_seconds", "gauge", "Seconds since the server started.");
        sample("onair_uptime_seconds", "", snapshot.uptimeSeconds());

        List<Labelled> streams = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (StatSnapshot.Server server : snapshot.servers()) {
            for (StatSnapshot.Application app : server.applications()) {
                for (StatSnapshot.Stream stream : app.streams()) {
                    if (seen.add(app.name() + "/" + stream.name())) {
                        streams.add(new Labelled(app, stream));
                    }
                }
            }
        }
        header("onair_stream_live", "gauge", "1 while the stream has a publisher.");
        each(streams, "onair_stream_live", s -> s.live() ? 1 : 0);
        header("onair_stream_viewers", "gauge", "Clients playing the stream, per protocol.");
        for (Labelled labelled : streams) {
            for (Client.Protocol protocol : Client.Protocol.values()) {
                int viewers = labelled.stream().viewersByProtocol().getOrDefault(protocol.label, 0);
                sample("onair_stream_viewers", labels(labelled) + ",protocol=\"" + protocol.label + "\"", viewers);
            }
        }
        header("onair_stream_bytes_in_total", "counter", "Payload bytes received from the publisher.");
        each(streams, "onair_stream_bytes_in_total", StreamStats::bytesIn);
        header("onair_stream_bytes_out_total", "counter", "Payload bytes handed to the stream's subscribers.");
        each(streams, "onair_stream_bytes_out_total", StreamStats::bytesOut);
        header("onair_stream_frames_in_total", "counter", "Frames received from the publisher.");
        each(streams, "onair_stream_frames_in_total", StreamStats::framesIn);
        header("onair_stream_bitrate_bits", "gauge", "Bits per second over the last seconds, by direction and track.");
        for (Labelled labelled : streams) {
            StreamStats stats = labelled.stream().stats();
            sample("onair_stream_bitrate_bits", labels(labelled) + ",direction=\"in\"", stats.bitrateIn());
            sample("onair_stream_bitrate_bits", labels(labelled) + ",direction=\"out\"", stats.bitrateOut());
            sample("onair_stream_bitrate_bits", labels(labelled) + ",direction=\"in\",track=\"audio\"",
                stats.bitrateAudio());
            sample("onair_stream_bitrate_bits", labels(labelled) + ",direction=\"in\",track=\"video\"",
                stats.bitrateVideo());
        }
        header("onair_stream_fps", "gauge", "Video frames per second received.");
        each(streams, "onair_stream_fps", StreamStats::fps);
        header("onair_stream_keyframe_interval_seconds", "gauge", "Time between the last two video keyframes.");
        each(streams, "onair_stream_keyframe_interval_seconds", StreamStats::keyframeInterval);
        header("onair_stream_av_drift_seconds", "gauge", "Last audio timestamp minus last video timestamp.");
        each(streams, "onair_stream_av_drift_seconds", s -> s.avDriftMillis() / 1000.0);
        header("onair_stream_dropped_frames_total", "counter", "Frames dropped for subscribers that fell behind.");
        each(streams, "onair_stream_dropped_frames_total", StreamStats::droppedFrames);
        header("onair_stream_timestamp_repairs_total", "counter", "Publisher timestamps repaired to stay monotonic.");
        each(streams, "onair_stream_timestamp_repairs_total", StreamStats::timestampRepairs);
        tracks(streams);
        relays(streams);
        exec(snapshot.exec().counters());
        if (snapshot.directory() != null) {
            header("onair_directory_up", "gauge", "1 when the scale-out directory's back-end answers, else 0.");
            sample("onair_directory_up", "", snapshot.directory().up() ? 1 : 0);
            header("onair_directory_leases", "gauge", "Streams registered in the directory, by lease state.");
            sample("onair_directory_leases", "state=\"held\"", snapshot.directory().held());
            sample("onair_directory_leases", "state=\"waiting\"", snapshot.directory().waiting());
        }
        return out.toString();
    }

    private void tracks(List<Labelled> streams) {
        header("onair_stream_track_info", "gauge",
            "1 for each track a sequence header announced (an Enhanced RTMP v2 multitrack publish has several).");
        for (Labelled labelled : streams) {
            for (StreamStats.Track track : labelled.stream().stats().tracks()) {
                sample("onair_stream_track_info", trackLabels(labelled, track) + ",codec=\""
                    + escapeLabel(track.codec().nginxName()) + "\",codecs=\"" + escapeLabel(track.codecs()) + "\"", 1);
            }
        }
        header("onair_stream_track_width_pixels", "gauge", "Picture width of a video track's sequence header.");
        eachVideoTrack(streams, "onair_stream_track_width_pixels", StreamStats.Track::width);
        header("onair_stream_track_height_pixels", "gauge", "Picture height of a video track's sequence header.");
        eachVideoTrack(streams, "onair_stream_track_height_pixels", StreamStats.Track::height);
    }

    private void eachVideoTrack(List<Labelled> streams, String name, ToDoubleFunction<StreamStats.Track> value) {
        for (Labelled labelled : streams) {
            for (StreamStats.Track track : labelled.stream().stats().tracks()) {
                if (track.kind() == MediaFrame.Kind.VIDEO) {
                    sample(name, trackLabels(labelled, track), value.applyAsDouble(track));
                }
            }
        }
    }

    private static String trackLabels(Labelled labelled, StreamStats.Track track) {
        return labels(labelled) + ",track=\"" + track.id() + "\",kind=\""
            + track.kind().name().toLowerCase(Locale.ROOT) + "\"";
    }

    private void relays(List<Labelled> streams) {
        header("onair_relay_state", "gauge", "1 for the state each push or pull relay of a stream is in.");
        for (Labelled labelled : streams) {
            for (RelaySnapshot relay : labelled.stream().relays()) {
                for (RelayState state : RelayState.values()) {
                    sample("onair_relay_state", relayLabels(labelled, relay) + ",state=\"" + state.label() + "\"",
                        relay.state().equals(state.label()) ? 1 : 0);
                }
            }
        }
        header("onair_relay_bytes_total", "counter", "Bytes a push relay sent or a pull relay received.");
        eachRelay(streams, "onair_relay_bytes_total", RelaySnapshot::bytes);
        header("onair_relay_dropped_frames_total", "counter", "Frames a push relay skipped for a slow remote.");
        eachRelay(streams, "onair_relay_dropped_frames_total", RelaySnapshot::droppedFrames);
        header("onair_relay_reconnects_total", "counter", "Connections a relay made again after one ended.");
        eachRelay(streams, "onair_relay_reconnects_total", RelaySnapshot::reconnects);
    }

    private void eachRelay(List<Labelled> streams, String name, ToDoubleFunction<RelaySnapshot> value) {
        for (Labelled labelled : streams) {
            for (RelaySnapshot relay : labelled.stream().relays()) {
                sample(name, relayLabels(labelled, relay), value.applyAsDouble(relay));
            }
        }
    }

    private static String relayLabels(Labelled labelled, RelaySnapshot relay) {
        return labels(labelled) + ",direction=\"" + relay.direction() + "\",url=\"" + escapeLabel(relay.url())
            + "\"";
    }

    private void exec(ExecCounters exec) {
        header("onair_exec_running", "gauge", "exec children whose process is alive.");
        sample("onair_exec_running", "", exec.running());
        header("onair_exec_restarts_total", "counter", "exec children started again after exiting.");
        sample("onair_exec_restarts_total", "", exec.restarts());
        header("onair_exec_failed_starts_total", "counter", "exec processes that could not be started.");
        sample("onair_exec_failed_starts_total", "", exec.failedStarts());
        header("onair_exec_exits_total", "counter", "exec process exits by exit code (128 + signal for a signal).");
        new TreeMap<>(exec.exitsByCode()).forEach((code, count) ->
            sample("onair_exec_exits_total", "code=\"" + code + "\"", count));
    }

    private void each(List<Labelled> streams, String name, ToDoubleFunction<StreamStats> value) {
        for (Labelled labelled : streams) {
            sample(name, labels(labelled), value.applyAsDouble(labelled.stream().stats()));
        }
    }

    private static String labels(Labelled labelled) {
        return "app=\"" + escapeLabel(labelled.app().name()) + "\",name=\"" + escapeLabel(labelled.stream().name())
            + "\"";
    }

    private void header(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(number(value)).append('\n');
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }

    /** Label values escape backslash, double quote and line feed (exposition format 0.0.4). */
    static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
