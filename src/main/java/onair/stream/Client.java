package onair.stream;

import java.util.Objects;

/**
 * One client connection as statistics, control and the access log see it: nginx-rtmp's session fields (the
 * connection number is its {@code clientid}), byte counters the owning connection keeps up to date, and the control
 * actions that connection carries out on its own thread.
 */
public final class Client {

    /** The protocol a client speaks; {@link #label} is the name used in statistics. */
    public enum Protocol {
        RTMP("rtmp"), RTMPS("rtmps"), HTTP_FLV("http-flv"), HLS("hls");

        public final String label;

        Protocol(String label) {
            this.label = label;
        }
    }

    /**
     * What a control request or a feature asks of the owning connection (nginx-rtmp's {@code /control/drop} and
     * {@code /redirect}, the record module's status messages).
     */
    public interface Control {

        /** Closes the connection. */
        void drop();

        /** Moves whatever the connection publishes or plays on {@code from} to the stream {@code newName}. */
        void redirect(StreamKey from, String newName);

        /** Sends an {@code onStatus} to the NetStream publishing {@code stream}, if there is one (record_notify). */
        default void status(StreamKey stream, String level, String code, String description) {
        }

        /**
         * Asks the client to reconnect (Enhanced RTMP v2 {@code NetConnection.Connect.ReconnectRequest}), to
         * {@code tcUrl} or, when null, to the same server; false, and nothing sent, when the client did not announce
         * that it can.
         */
        default boolean reconnect(String tcUrl, String description) {
            return false;
        }
    }

    private static final Control NO_CONTROL = new Control() {
        @Override
        public void drop() {
        }

        @Override
        public void redirect(StreamKey from, String newName) {
        }
    };

    private final long id;
    private final Protocol protocol;
    private final String address;
    private final int server;
    private final long connectedMillis;
    private final long connectedNanos;
    private volatile Control control = NO_CONTROL;
    private volatile String app = "";
    private volatile String flashver = "";
    private volatile String swfurl = "";
    private volatile String tcurl = "";
    private volatile String pageurl = "";
    private volatile String name = "";
    private volatile String args = "";
    private volatile boolean played;
    private volatile boolean published;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private volatile long closedNanos;

    /**
     * @param server the index of the configuration's server block the connection came in on (nginx-rtmp's {@code srv})
     */
    public Client(long id, Protocol protocol, String address, int server) {
        this.id = id;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.address = Objects.requireNonNull(address, "address");
        this.server = server;
        this.connectedMillis = System.currentTimeMillis();
        this.connectedNanos = System.nanoTime();
    }

    public long id() {
        return id;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The remote IP address as text, without port. */
    public String address() {
        return address;
    }

    public int server() {
        return server;
    }

    /** Wall-clock time of the connection, in epoch milliseconds. */
    public long connectedMillis() {
        return connectedMillis;
    }

    /** Milliseconds since the connection opened, frozen once it closed. */
    public long ageMillis() {
        long end = closedNanos != 0 ? closedNanos : System.nanoTime();
        return (end - connectedNanos) / 1_000_000;
    }

    /** Records the fields of an accepted {@code connect} (null values become empty). */
    public void connected(String app, String flashver, String swfurl, String tcurl, String pageurl) {
        this.app = Objects.requireNonNullElse(app, "");
        this.flashver = Objects.requireNonNullElse(flashver, "");
        this.swfurl = Objects.requireNonNullElse(swfurl, "");
        this.tcurl = Objects.requireNonNullElse(tcurl, "");
        this.pageurl = Objects.requireNonNullElse(pageurl, "");
    }

    /** Records a play ({@code publish == false}) or publish of {@code name} with its {@code ?args}. */
    public void started(boolean publish, String name, String args) {
        this.name = Objects.requireNonNullElse(name, "");
        this.args = Objects.requireNonNullElse(args, "");
        if (publish) {
            published = true;
        } else {
            played = true;
        }
    }

    public String app() {
        return app;
    }

    public String flashver() {
        return flashver;
    }

    public String swfurl() {
        return swfurl;
    }

    public String tcurl() {
        return tcurl;
    }

    public String pageurl() {
        return pageurl;
    }

    /** The last stream name played or published. */
    public String name() {
        return name;
    }

    /** The arguments of the last play or publish. */
    public String args() {
        return args;
    }

    public boolean played() {
        return played;
    }

    public boolean published() {
        return published;
    }

    /** Adds bytes read from the socket; called by the owning connection's thread only. */
    public void addBytesIn(long bytes) {
        bytesIn += bytes;
    }

    /** Adds bytes written to the socket; called by the owning connection's thread only. */
    public void addBytesOut(long bytes) {
        bytesOut += bytes;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    /** Sets the actions the owning connection carries out for control requests. */
    public void control(Control control) {
        this.control = Objects.requireNonNull(control, "control");
    }

    public Control control() {
        return control;
    }

    void closed() {
        closedNanos = System.nanoTime();
    }

    @Override
    public String toString() {
        return "Client[" + id + " " + protocol.label + " " + address + "]";
    }
}
