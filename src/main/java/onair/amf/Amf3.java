package onair.amf;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Action Message Format version 3 (AMF3 spec), read into the same Java values as {@link Amf0}: integers and
 * doubles as {@link Double}, dense arrays as {@link List}, associative arrays and objects as {@link LinkedHashMap},
 * byte arrays as {@code byte[]}. Each value read starts fresh string, object and trait reference tables (AMF3 spec
 * §2.2), as does each AMF0 avmplus-object marker (AMF0 spec §3.1). Object references are refused as in {@link Amf0}.
 */
public final class Amf3 {

    private static final int UNDEFINED = 0x00;
    private static final int NULL = 0x01;
    private static final int FALSE = 0x02;
    private static final int TRUE = 0x03;
    private static final int INTEGER = 0x04;
    private static final int DOUBLE = 0x05;
    private static final int STRING = 0x06;
    private static final int XML_DOC = 0x07;
    private static final int DATE = 0x08;
    private static final int ARRAY = 0x09;
    private static final int OBJECT = 0x0A;
    private static final int XML = 0x0B;
    private static final int BYTE_ARRAY = 0x0C;
    private static final int VECTOR_INT = 0x0D;
    private static final int VECTOR_UINT = 0x0E;
    private static final int VECTOR_DOUBLE = 0x0F;
    private static final int VECTOR_OBJECT = 0x10;
    private static final int DICTIONARY = 0x11;

    private static final String ARRAY_COLLECTION = "flex.messaging.io.ArrayCollection";
    private static final String OBJECT_PROXY = "flex.messaging.io.ObjectProxy";

    private record Traits(String className, boolean externalizable, boolean dynamic, List<String> sealedNames) {
    }

    private final ByteBuf in;
    private final List<String> strings = new ArrayList<>();
    private final AmfReferences objects;
    private final List<Traits> traits = new ArrayList<>();

    Amf3(ByteBuf in, long maxValues) {
        this.in = in;
        this.objects = new AmfReferences("AMF3 object", maxValues);
    }

    /** Reads one value; the buffer's reader index moves past it. */
    public static Object read(ByteBuf in) {
        return new Amf3(in, in.readableBytes() + (long) AmfReferences.MAX_REFERENCED_VALUES).value(0);
    }

    /** The values read so far, each repeated by references counted. */
    long values() {
        return objects.values();
    }

    Object value(int depth) {
        if (depth > Amf0.MAX_DEPTH) {
            throw new AmfException("AMF3 values nested deeper than " + Amf0.MAX_DEPTH);
        }
        int marker = u8();
        objects.countValue();
        return switch (marker) {
            case UNDEFINED -> Amf0.UNDEFINED;
            case NULL -> null;
            case FALSE -> false;
            case TRUE -> true;
            case INTEGER -> (double) (u29() << 3 >> 3);
            case DOUBLE -> number();
            case STRING -> string();
            case XML_DOC, XML -> xml();
            case DATE -> date();
            case ARRAY -> array(depth);
            case OBJECT -> object(depth);
            case BYTE_ARRAY -> byteArray();
            case VECTOR_INT, VECTOR_UINT, VECTOR_DOUBLE -> numberVector(marker);
            case VECTOR_OBJECT -> objectVector(depth);
            case DICTIONARY -> dictionary(depth);
            default -> throw new AmfException("unknown AMF3 marker 0x" + Integer.toHexString(marker));
        };
    }

    /** A U29 whose low bit is 0 for a reference: returns the reference index, or -1 minus the inline length. */
    private int inlineLengthOrReference() {
        int header = u29();
        return (header & 1) == 0 ? header >>> 1 : -1 - (header >>> 1);
    }

    private Object objectReference(int index) {
        return objects.get(index);
    }

    private String string() {
        int header = u29();
        if ((header & 1) == 0) {
            int index = header >>> 1;
            if (index >= strings.size()) {
                throw new AmfException("AMF3 string reference " + index + " to one of " + strings.size());
            }
            return strings.get(index);
        }
        String s = utf8(header >>> 1);
        if (!s.isEmpty()) {
            strings.add(s);
        }
        return s;
    }

    private Object xml() {
        int header = inlineLengthOrReference();
        if (header >= 0) {
            return objectReference(header);
        }
        return objects.complete(utf8(-1 - header));
    }

    private Object date() {
        int header = inlineLengthOrReference();
        if (header >= 0) {
            return objectReference(header);
        }
        return objects.complete(new AmfDate(number(), 0));
    }

    private Object byteArray() {
        int header = inlineLengthOrReference();
        if (header >= 0) {
            return objectReference(header);
        }
        int length = -1 - header;
        need(length);
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return objects.complete(bytes);
    }

    /** AMF3 spec §3.11: an associative part ended by the empty string, then the dense part. */
    private Object array(int depth) {
        int header = inlineLengthOrReference();
        if (header >= 0) {
            return objectReference(header);
        }
        int denseCount = countOfAtLeastOneByte(-1 - header);
        String key = string();
        if (key.isEmpty()) {
            List<Object> dense = new ArrayList<>(denseCount);
            int index = objects.open(dense);
            for (int i = 0; i < denseCount; i++) {
                dense.add(value(depth + 1));
            }
            return objects.close(index, dense);
        }
        LinkedHashMap<String, Object> associative = new LinkedHashMap<>();
        int index = objects.open(associative);
        for (; !key.isEmpty(); key = string()) {
            associative.put(key, value(depth + 1));
        }
        for (int i = 0; i < denseCount; i++) {
            associative.put(Integer.toString(i), value(depth + 1));
        }
        return objects.close(index, associative);
    }

    /** AMF3 spec §3.12: sealed members in trait order, then dynamic members ended by the empty string. */
    private Object object(int depth) {
        int header = u29();
        if ((header & 1) == 0) {
            return objectReference(header >>> 1);
        }
        Traits t = traits(header);
        if (t.externalizable()) {
            if (t.className().equals(ARRAY_COLLECTION) || t.className().equals(OBJECT_PROXY)) {
                int index = objects.open(null);
                return objects.close(index, value(depth + 1));
            }
            throw new AmfException("AMF3 externalizable class " + t.className() + " cannot be read");
        }
        LinkedHashMap<String, Object> members = new LinkedHashMap<>();
        int index = objects.open(members);
        for (String name : t.sealedNames()) {
            members.put(name, value(depth + 1));
        }
        if (t.dynamic()) {
            for (String key = string(); !key.isEmpty(); key = string()) {
                members.put(key, value(depth + 1));
            }
        }
        return objects.close(index, members);
    }

    private Traits traits(int header) {
        if ((header & 2) == 0) {
            int index = header >>> 2;
            if (index >= traits.size()) {
                throw new AmfException("AMF3 traits reference " + index + " to one of " + traits.size());
            }
            return traits.get(index);
        }
        boolean externalizable = (header & 4) != 0;
        boolean dynamic = (header & 8) != 0;
        int sealedCount = countOfAtLeastOneByte(header >>> 4);
        String className = string();
        List<String> names = new ArrayList<>(sealedCount);
        for (int i = 0; i < sealedCount; i++) {
            names.add(string());
        }
        Traits t = new Traits(className, externalizable, dynamic, names);
        traits.add(t);
        return t;
    }

    /** AMF3 spec §3.15: vectors of int, uint and double elements, read as a list of {@link Double}. */
    private Object numberVector(int marker) {
        int header = inlineLengthOrReference();
        if (header >= 0) {
            return objectReference(header);
        }
        int count = -1 - header;
        int width = marker == VECTOR_DOUBLE ? 8 : 4;
        need(1);
        in.skipBytes(1);
        if ((long) count * width > in.readableBytes()) {
            throw new AmfException("AMF3 vector of " + count + " elements exceeds the bytes left");
        }
        List<Object> elements = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            elements.add(switch (marker) {
                case VECTOR_INT -> (double) in.readInt();
                case VECTOR_UINT -> (double) in.readUnsignedInt();
                default -> in.readDouble();
            });
        }
        objects.countValues(count);
        return objects.complete(elements);
    }

    private Object objectVector(int depth) {
        int header = inlineLengthOrReference();
        if (header >= 0) {
            return objectReference(header);
        }
        int count = countOfAtLeastOneByte(-1 - header);
        need(1);
        in.skipBytes(1);
        string();
        List<Object> elements = new ArrayList<>(count);
        int index = objects.open(elements);
        for (int i = 0; i < count; i++) {
            elements.add(value(depth + 1));
        }
        return objects.close(index, elements);
    }

    /** AMF3 spec §3.16: key and value pairs where keys may be any value. */
    private Object dictionary(int depth) {
        int header = inlineLengthOrReference();
        if (header >= 0) {
            return objectReference(header);
        }
        int count = countOfAtLeastOneByte(-1 - header);
        need(1);
        in.skipBytes(1);
        Map<Object, Object> entries = new LinkedHashMap<>();
        int index = objects.open(entries);
        for (int i = 0; i < count; i++) {
            Object key = value(depth + 1);
            entries.put(key, value(depth + 1));
        }
        return objects.close(index, entries);
    }

    /** AMF3 spec §1.3.1: up to four bytes, seven bits from each of the first three and eight from the fourth. */
    private int u29() {
        int result = 0;
        for (int i = 0; i < 3; i++) {
            int b = u8();
            result = result << 7 | b & 0x7F;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        return result << 8 | u8();
    }

    private int countOfAtLeastOneByte(int count) {
        if (count > in.readableBytes()) {
            throw new AmfException("AMF3 count " + count + " exceeds the " + in.readableBytes() + " bytes left");
        }
        return count;
    }

    private double number() {
        return AmfInput.number(in, "AMF3");
    }

    private int u8() {
        return AmfInput.u8(in, "AMF3");
    }

    private String utf8(int length) {
        return AmfInput.utf8(in, length, "AMF3");
    }

    private void need(int bytes) {
        AmfInput.need(in, bytes, "AMF3");
    }
}
