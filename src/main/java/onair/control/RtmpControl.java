package onair.control;

import onair.config.ApplicationConfig;
import onair.config.ServerConfig;
import onair.stats.Reply;
import onair.stream.Client;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;
import onair.stream.Subscriber;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * nginx-rtmp's HTTP control API ({@code ngx_rtmp_control_module.c}) without the HTTP: a request path ending in
 * {@code /<section>/<method>} and its query select clients of the live streams of server block {@code srv} (default
 * 0) by {@code app}, {@code name}, {@code addr} and {@code clientid}, then drop or redirect them, or start or stop
 * their recorders. Replies as nginx-rtmp does: 200 with the number of clients (or a recording's path) as text, 204
 * when no recording started or stopped, 500 for an error, 404 for a section this location does not allow. HLS viewer
 * sessions are subscribers too: dropping one forgets the session, redirecting one does nothing. Onair's own
 * {@code /relay/push/start|stop?app=&name=&url=} starts or stops a push target of a live stream, and
 * {@code /reconnect/<filter>?…&tcurl=&description=} asks Enhanced RTMP v2 clients to reconnect.
 */
public final class RtmpControl {

    /** What {@code /record/start} and {@code /record/stop} act on: the recorders of live publications. */
    @FunctionalInterface
    public interface Recording {

        /** Records nothing: every request finds no recording to start or stop. */
        Recording NONE = (stream, recorder, start) -> null;

        /**
         * Starts or stops {@code recorder} ("" for the application's own) on the publication of {@code stream}: the
         * path of the file opened or closed, or null when there was nothing to start or stop.
         */
        String record(LiveStream stream, String recorder, boolean start);
    }

    /** What {@code /relay/push/start} and {@code /relay/push/stop} act on: the push targets of live streams. */
    public interface Relaying {

        /** No relays: every request is refused. */
        Relaying NONE = (app, name, url, start) -> {
            throw new IllegalArgumentException("relays are not available");
        };

        /**
         * Starts or stops a push of stream {@code name} of {@code app} to {@code url}: the number of targets started
         * or stopped.
         *
         * @throws IllegalArgumentException for a bad URL or a stream that is not published, with the reason
         */
        int push(ApplicationConfig app, String name, String url, boolean start);
    }

    /** The sections an {@code rtmp_control} location allows ({@code all|record|drop|redirect|relay|reconnect}). */
    public enum Section {
        RECORD, DROP, REDIRECT, RELAY, RECONNECT;

        /** The sections named by the arguments of {@code rtmp_control}; an unknown name is an IllegalArgumentException. */
        public static Set<Section> parse(List<String> names) {
            Set<Section> sections = EnumSet.noneOf(Section.class);
            for (String name : names) {
                switch (name) {
                    case "all" -> sections.addAll(EnumSet.allOf(Section.class));
                    case "record" -> sections.add(RECORD);
                    case "drop" -> sections.add(DROP);
                    case "redirect" -> sections.add(REDIRECT);
                    case "relay" -> sections.add(RELAY);
                    case "reconnect" -> sections.add(RECONNECT);
                    default -> throw new IllegalArgumentException("invalid value \"" + name
                        + "\", it must be \"all\", \"record\", \"drop\", \"redirect\", \"relay\" or \"reconnect\"");
                }
            }
            return sections;
        }
    }

    private enum Filter { PUBLISHER, SUBSCRIBER, CLIENT }

    /** One client's part in one stream, as nginx-rtmp's live context. */
    private record Match(LiveStream stream, Client client) {}

    /** nginx-rtmp's {@code NGX_RTMP_MAX_NAME}: a longer new name is cut to 255 bytes. */
    private static final int MAX_NAME = 255;
    /** The longest {@code tcurl} or {@code description} a reconnect request carries, in characters. */
    static final int MAX_RECONNECT_TEXT = 1024;

    private final Supplier<ServerConfig> config;
    private final StreamRegistry registry;
    private final Recording recording;
    private final Relaying relaying;

    /** Control without recorders: {@code record start|stop} never finds a recording. */
    public RtmpControl(Supplier<ServerConfig> config, StreamRegistry registry) {
        this(config, registry, Recording.NONE);
    }

    public RtmpControl(Supplier<ServerConfig> config, StreamRegistry registry, Recording recording) {
        this(config, registry, recording, Relaying.NONE);
    }

    public RtmpControl(Supplier<ServerConfig> config, StreamRegistry registry, Recording recording,
            Relaying relaying) {
        this.config = config;
        this.registry = registry;
        this.recording = recording;
        this.relaying = relaying;
    }

    /**
     * Handles one control request.
     *
     * @param path    the request path, e.g. {@code /control/drop/publisher}; only its last two segments count
     * @param query   the decoded query arguments; the first value of each is used
     * @param allowed the sections the {@code rtmp_control} directive of this location enables
     */
    public Reply handle(String path, Map<String, List<String>> query, Set<Section> allowed) {
        String[] segments = path.split("/", -1);
        if (segments.length < 3) {
            return notFound();
        }
        String section = segments[segments.length - 2];
        String method = segments[segments.length - 1];
        Map<String, String> args = new LinkedHashMap<>();
        query.forEach((key, values) -> {
            if (!values.isEmpty()) {
                args.put(key, values.getFirst());
            }
        });
        return switch (section) {
            case "drop" -> allowed.contains(Section.DROP) ? drop(method, args) : notFound();
            case "redirect" -> allowed.contains(Section.REDIRECT) ? redirect(method, args) : notFound();
            case "record" -> allowed.contains(Section.RECORD) ? record(method, args) : notFound();
            case "reconnect" -> allowed.contains(Section.RECONNECT) ? reconnect(method, args) : notFound();
            case "push" -> allowed.contains(Section.RELAY) && segments.length >= 4
                && segments[segments.length - 3].equals("relay") ? push(method, args) : notFound();
            default -> notFound();
        };
    }

    /** Fills {@code matches} with the clients that {@code method} and {@code args} select; an error reply, or null. */
    private Reply select(String method, Map<String, String> args, List<Match> matches) {
        Filter filter = filter(method);
        if (filter == null) {
            return error("Undefined filter");
        }
        String failure = walk(args, filter, matches);
        return failure == null ? null : error(failure);
    }

    private Reply drop(String method, Map<String, String> args) {
        List<Match> matches = new ArrayList<>();
        Reply refused = select(method, args, matches);
        if (refused != null) {
            return refused;
        }
        List<Client> dropped = matches.stream().map(Match::client).distinct().toList();
        dropped.forEach(client -> client.control().drop());
        return Reply.text(200, Integer.toString(dropped.size()));
    }

    private Reply redirect(String method, Map<String, String> args) {
        List<Match> matches = new ArrayList<>();
        Reply refused = select(method, args, matches);
        if (refused != null) {
            return refused;
        }
        if (matches.isEmpty()) {
            return Reply.text(200, "0");
        }
        String newName = args.get("newname");
        if (newName == null) {
            return error("newname not specified");
        }
        String name = truncate(newName);
        for (Match match : matches) {
            match.client().control().redirect(match.stream().key(), name);
        }
        return Reply.text(200, Integer.toString(matches.size()));
    }

    /**
     * Onair's {@code /reconnect/publisher|subscriber|client}: sends the matching clients that announced capsEx
     * Reconnect an Enhanced RTMP v2 ReconnectRequest, to {@code tcurl} when given. 200 with the number asked; 409
     * when clients matched but none can be asked; 400 for a {@code tcurl} that is no URI reference or a text too long.
     */
    private Reply reconnect(String method, Map<String, String> args) {
        String tcUrl = args.get("tcurl");
        String description = args.get("description");
        if (tcUrl != null && (tcUrl.isEmpty() || tcUrl.length() > MAX_RECONNECT_TEXT || !uriReference(tcUrl))) {
            return Reply.text(400, "tcurl must be a URI reference of up to " + MAX_RECONNECT_TEXT + " characters");
        }
        if (description != null && description.length() > MAX_RECONNECT_TEXT) {
            return Reply.text(400, "description is longer than " + MAX_RECONNECT_TEXT + " characters");
        }
        List<Match> matches = new ArrayList<>();
        Reply refused = select(method, args, matches);
        if (refused != null) {
            return refused;
        }
        List<Client> clients = matches.stream().map(Match::client).distinct().toList();
        long asked = clients.stream().filter(client -> client.control().reconnect(tcUrl, description)).count();
        if (asked == 0 && !clients.isEmpty()) {
            return Reply.text(409, "No matching client announced the Reconnect capability (capsEx 0x01)");
        }
        return Reply.text(200, Long.toString(asked));
    }

    private static boolean uriReference(String text) {
        try {
            new URI(text);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * nginx-rtmp's {@code ngx_rtmp_control_record}: every matching client's application must have recorder
     * {@code rec} ("Recorder not found" otherwise); on a publisher it starts or stops that recorder. The reply is the
     * path of the last file started or stopped, or 204 when none was.
     */
    private Reply record(String method, Map<String, String> args) {
        List<Match> matches = new ArrayList<>();
        String failure = walk(args, Filter.CLIENT, matches);
        if (failure != null) {
            return error(failure);
        }
        String rec = args.getOrDefault("rec", "");
        String path = null;
        for (Match match : matches) {
            ApplicationConfig app = application(args, match.stream().key().app());
            if (app == null || app.record().recorder(rec).isEmpty()) {
                return error("Recorder not found");
            }
            if (!method.equals("start") && !method.equals("stop")) {
                return error("Undefined method");
            }
            if (match.stream().publisher().filter(match.client()::equals).isPresent()) {
                String recorded = recording.record(match.stream(), rec, method.equals("start"));
                path = recorded != null ? recorded : path;
            }
        }
        return path == null ? new Reply(204, "text/plain", "") : Reply.text(200, path);
    }

    /** Onair's {@code /relay/push/start|stop}: 200 with the number of targets, 404 or 400 with the reason. */
    private Reply push(String method, Map<String, String> args) {
        if (!method.equals("start") && !method.equals("stop")) {
            return notFound();
        }
        String url = args.get("url");
        String name = args.get("name");
        if (url == null || url.isEmpty() || name == null || name.isEmpty()) {
            return Reply.text(400, "app, name and url are required");
        }
        long srv = args.containsKey("srv") ? number(args.get("srv")) : 0;
        if (srv < 0 || srv >= config.get().rtmpServers().size()) {
            return Reply.text(400, "Server index out of range");
        }
        ApplicationConfig app = application(args, args.getOrDefault("app", ""));
        if (app == null) {
            return Reply.text(404, "Application not found");
        }
        if (registry.find(new StreamKey(app.name(), name)).filter(LiveStream::isLive).isEmpty()) {
            return Reply.text(404, "Stream not published");
        }
        try {
            return Reply.text(200, Integer.toString(relaying.push(app, name, url, method.equals("start"))));
        } catch (IllegalArgumentException e) {
            return Reply.text(400, e.getMessage());
        }
    }

    private ApplicationConfig application(Map<String, String> args, String app) {
        long srv = args.containsKey("srv") ? number(args.get("srv")) : 0;
        return config.get().rtmpServers().get((int) srv).application(app).orElse(null);
    }

    private static Filter filter(String method) {
        return switch (method) {
            case "publisher" -> Filter.PUBLISHER;
            case "subscriber" -> Filter.SUBSCRIBER;
            case "client" -> Filter.CLIENT;
            default -> null;
        };
    }

    /** Collects the matching clients into {@code matches}, or returns nginx-rtmp's error text. */
    private String walk(Map<String, String> args, Filter filter, List<Match> matches) {
        ServerConfig servers = config.get();
        long srv = args.containsKey("srv") ? number(args.get("srv")) : 0;
        if (srv < 0 || srv >= servers.rtmpServers().size()) {
            return "Server index out of range";
        }
        String app = args.getOrDefault("app", "");
        String name = args.get("name");
        String addr = args.get("addr");
        long clientId = args.containsKey("clientid") ? number(args.get("clientid")) : -1;
        for (ApplicationConfig application : servers.rtmpServers().get((int) srv).applications()) {
            if (!app.isEmpty() && !application.name().equals(app)) {
                continue;
            }
            for (LiveStream stream : registry.streams()) {
                if (!stream.key().app().equals(application.name())
                    || name != null && !stream.key().name().equals(name)) {
                    continue;
                }
                List<Client> publishers = stream.publisher().map(List::of).orElse(List.of());
                List<Client> subscribers = new ArrayList<>(stream.subscribers().stream().map(Subscriber::client)
                    .filter(Objects::nonNull).toList());
                subscribers.addAll(stream.viewers());
                if (filter != Filter.SUBSCRIBER) {
                    publishers.forEach(client -> matches.add(new Match(stream, client)));
                }
                if (filter != Filter.PUBLISHER) {
                    subscribers.forEach(client -> matches.add(new Match(stream, client)));
                }
            }
        }
        matches.removeIf(match -> addr != null && !match.client().address().equals(addr)
            || args.containsKey("clientid") && match.client().id() != clientId);
        return null;
    }

    /** nginx's {@code ngx_atoi}: a decimal number, or -1. */
    private static long number(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(text);
    }

    private static String truncate(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_NAME) {
            return name;
        }
        return new String(bytes, 0, MAX_NAME, StandardCharsets.UTF_8);
    }

    private static Reply error(String message) {
        return Reply.text(500, message);
    }

    private static Reply notFound() {
        return Reply.text(404, "Not Found");
    }
}
