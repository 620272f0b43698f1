package onair.rtmp.message;

/**
 * The receiving side of the acknowledgement window (RTMP spec §5.4.3, §5.4.4): once the peer has sent its
 * Window Acknowledgement Size, an {@link Acknowledgement} is due each time that many more bytes have arrived.
 */
public final class AckWindow {

    private long size;
    private long acknowledged;

    /** The peer's Window Acknowledgement Size, in bytes; zero or less sends no acknowledgements. */
    public void resize(long size) {
        this.size = size;
    }

    /** The acknowledgement due now that {@code received} bytes have arrived in all, or null when none is. */
    public Acknowledgement acknowledge(long received) {
        if (size <= 0 || received - acknowledged < size) {
            return null;
        }
        acknowledged = received;
        return new Acknowledgement(received & 0xFFFFFFFFL);
    }
}
