package onair.relay;

/** Where a configured relay is, with the label statistics show. */
public enum RelayState {
    CONNECTING("connecting"), LIVE("live"), BACKING_OFF("backing off"), STOPPED("stopped");

    private final String label;

    RelayState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
