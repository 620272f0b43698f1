package onair.amf;

import java.util.ArrayList;
import java.util.List;

/**
 * The table of complex values an AMF reader has read so far, which later references point back into. It refuses a
 * reference to a value still being read, so that decoded values have no cycles, and counts the values a reference
 * repeats, so that a few bytes of references cannot expand into more values than {@code maxValues}.
 */
final class AmfReferences {

    /** Values references may add beyond the count of bytes read, which bounds the values read inline. */
    static final int MAX_REFERENCED_VALUES = 1 << 16;

    private static final class Entry {
        Object value;
        final long start;
        long size = -1;

        Entry(Object value, long start) {
            this.value = value;
            this.start = start;
        }
    }

    private final String format;
    private final long maxValues;
    private final List<Entry> entries = new ArrayList<>();
    private long values;

    AmfReferences(String format, long maxValues) {
        this.format = format;
        this.maxValues = maxValues;
    }

    /** The values read so far, each repeated by references counted. */
    long values() {
        return values;
    }

    long remaining() {
        return maxValues - values;
    }

    /** Counts one value read inline; complex ones are counted here too, before their members. */
    void countValue() {
        add(1);
    }

    /** Counts {@code count} values read inline by another reader. */
    void countValues(long count) {
        add(count);
    }

    int size() {
        return entries.size();
    }

    /** Registers a complex value whose members are about to be read; returns its index for {@link #close}. */
    int open(Object value) {
        entries.add(new Entry(value, values));
        return entries.size() - 1;
    }

    /** Marks the value at {@code index} as read, now {@code value}, so that references may point to it. */
    <T> T close(int index, T value) {
        Entry entry = entries.get(index);
        entry.value = value;
        entry.size = values - entry.start + 1;
        return value;
    }

    /** Registers a value that has no members. */
    <T> T complete(T value) {
        return close(open(value), value);
    }

    Object get(int index) {
        if (index >= entries.size()) {
            throw new AmfException(format + " reference " + index + " to one of " + entries.size() + " objects");
        }
        Entry entry = entries.get(index);
        if (entry.size < 0) {
            throw new AmfException(format + " reference " + index + " to an object that contains it");
        }
        add(entry.size);
        return entry.value;
    }

    private void add(long count) {
        values += count;
        if (values > maxValues) {
            throw new AmfException(format + " references expand to more than " + maxValues + " values");
        }
    }
}
