package onair.media;

/** Media bytes that do not follow their format (a truncated or inconsistent decoder configuration, for example). */
public final class MediaFormatException extends RuntimeException {

    public MediaFormatException(String message) {
        super(message);
    }
}
