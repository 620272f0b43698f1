package onair.directory;

/**
 * The state of a directory as statistics show it.
 *
 * @param backend {@code redis} or {@code static}
 * @param target  the back-end's address (without credentials) or the static origins
 * @param up      whether the back-end answers
 * @param held    registrations whose lease this process holds
 * @param waiting registrations waiting for their lease: the back-end is down or another origin holds it
 */
public record DirectorySnapshot(String backend, String target, boolean up, int held, int waiting) {
}
