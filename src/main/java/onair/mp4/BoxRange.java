package onair.mp4;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Where one ISO BMFF box lies in a buffer: its type and the range from its header's start to its end. */
record BoxRange(String type, int start, int end) {

    /** The boxes one after another from {@code from} to {@code to}; stops at one that does not fit. */
    static List<BoxRange> children(ByteBuffer buffer, int from, int to) {
        List<BoxRange> boxes = new ArrayList<>();
        int at = from;
        while (at + 8 <= to) {
            long size = Integer.toUnsignedLong(buffer.getInt(at));
            if (size < 8 || at + size > to) {
                break;
            }
            boxes.add(new BoxRange(type(buffer, at + 4), at, (int) (at + size)));
            at += (int) size;
        }
        return boxes;
    }

    /** The child of {@code parent} of {@code type}; throws when there is none. */
    static BoxRange find(ByteBuffer buffer, BoxRange parent, String type) {
        BoxRange child = first(buffer, parent.start + 8, parent.end, type);
        if (child == null) {
            throw new IllegalStateException("no " + type + " in " + parent.type);
        }
        return child;
    }

    /** The first box of {@code type} among those from {@code from} to {@code to}, or null. */
    static BoxRange first(ByteBuffer buffer, int from, int to, String type) {
        for (BoxRange child : children(buffer, from, to)) {
            if (child.type.equals(type)) {
                return child;
            }
        }
        return null;
    }

    int size() {
        return end - start;
    }

    byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[end - start];
        buffer.get(start, bytes);
        return bytes;
    }

    static String type(ByteBuffer buffer, int at) {
        byte[] type = new byte[4];
        buffer.get(at, type);
        return new String(type, StandardCharsets.ISO_8859_1);
    }
}
