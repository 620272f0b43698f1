package onair.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Action Message Format version 0 (Adobe AMF0 spec), read and written as plain Java values: numbers as
 * {@link Double}, objects as {@link LinkedHashMap} in wire order, strict arrays as {@link List}, null as
 * {@code null}. Complex values share one reference table (AMF0 spec §2.9) per {@link #read} or {@link #readAll};
 * a reference into the value that contains it, or references repeating more than 65,536 values, are refused.
 */
public final class Amf0 {

    /** The AMF0 undefined value (AMF0 spec §2.8), distinct from null. */
    public enum Undefined {
        INSTANCE;

        @Override
        public String toString() {
            return "undefined";
        }
    }

    public static final Undefined UNDEFINED = Undefined.INSTANCE;

    static final int MAX_DEPTH = 64;

    private static final int NUMBER = 0x00;
    private static final int BOOLEAN = 0x01;
    private static final int STRING = 0x02;
    private static final int OBJECT = 0x03;
    private static final int NULL = 0x05;
    private static final int UNDEFINED_MARKER = 0x06;
    private static final int REFERENCE = 0x07;
    private static final int ECMA_ARRAY = 0x08;
    private static final int OBJECT_END = 0x09;
    private static final int STRICT_ARRAY = 0x0A;
    private static final int DATE = 0x0B;
    private static final int LONG_STRING = 0x0C;
    private static final int UNSUPPORTED = 0x0D;
    private static final int XML_DOCUMENT = 0x0F;
    private static final int TYPED_OBJECT = 0x10;
    private static final int AVMPLUS_OBJECT = 0x11;

    private static final int MAX_SHORT_STRING = 0xFFFF;

    private final ByteBuf in;
    private final AmfReferences references;

    private Amf0(ByteBuf in) {
        this.in = in;
        this.references = new AmfReferences("AMF0", in.readableBytes() + (long) AmfReferences.MAX_REFERENCED_VALUES);
    }

    /** Reads one value; the buffer's reader index moves past it. */
    public static Object read(ByteBuf in) {
        return new Amf0(in).value(0);
    }

    /** Reads values until the buffer is exhausted. */
    public static List<Object> readAll(ByteBuf in) {
        Amf0 reader = new Amf0(in);
        List<Object> values = new ArrayList<>();
        while (in.isReadable()) {
            values.add(reader.value(0));
        }
        return values;
    }

    /** Writes one value; see the class description for the Java types accepted. */
    public static void write(ByteBuf out, Object value) {
        write(out, value, 0);
    }

    public static void writeAll(ByteBuf out, Object... values) {
        for (Object value : values) {
            write(out, value, 0);
        }
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new AmfException("AMF0 values nested deeper than " + MAX_DEPTH);
        }
        int marker = u8();
        references.countValue();
        return switch (marker) {
            case NUMBER -> number();
            case BOOLEAN -> u8() != 0;
            case STRING -> utf8(u16());
            case OBJECT -> object(depth);
            case NULL -> null;
            case UNDEFINED_MARKER, UNSUPPORTED -> UNDEFINED;
            case REFERENCE -> reference();
            case ECMA_ARRAY -> ecmaArray(depth);
            case STRICT_ARRAY -> strictArray(depth);
            case DATE -> new AmfDate(number(), shortValue());
            case LONG_STRING, XML_DOCUMENT -> utf8(u32Length());
            case TYPED_OBJECT -> typedObject(depth);
            case AVMPLUS_OBJECT -> amf3(depth);
            default -> throw new AmfException("unknown AMF0 marker 0x" + Integer.toHexString(marker));
        };
    }

    private Object reference() {
        return references.get(u16());
    }

    private Object amf3(int depth) {
        Amf3 reader = new Amf3(in, references.remaining());
        Object value = reader.value(depth + 1);
        references.countValues(reader.values());
        return value;
    }

    private LinkedHashMap<String, Object> object(int depth) {
        LinkedHashMap<String, Object> members = new LinkedHashMap<>();
        int index = references.open(members);
        return references.close(index, members(members, depth));
    }

    private EcmaArray ecmaArray(int depth) {
        need(4);
        in.skipBytes(4);
        LinkedHashMap<String, Object> entries = new LinkedHashMap<>();
        EcmaArray array = new EcmaArray(entries);
        int index = references.open(array);
        members(entries, depth);
        return references.close(index, array);
    }

    private List<Object> strictArray(int depth) {
        long count = u32Length();
        List<Object> elements = new ArrayList<>((int) count);
        int index = references.open(elements);
        for (long i = 0; i < count; i++) {
            elements.add(value(depth + 1));
        }
        return references.close(index, elements);
    }

    private TypedObject typedObject(int depth) {
        String className = utf8(u16());
        LinkedHashMap<String, Object> members = new LinkedHashMap<>();
        TypedObject object = new TypedObject(className, members);
        int index = references.open(object);
        members(members, depth);
        return references.close(index, object);
    }

    private LinkedHashMap<String, Object> members(LinkedHashMap<String, Object> members, int depth) {
        while (true) {
            String key = utf8(u16());
            if (key.isEmpty() && in.isReadable() && in.getUnsignedByte(in.readerIndex()) == OBJECT_END) {
                in.skipBytes(1);
                return members;
            }
            members.put(key, value(depth + 1));
        }
    }

    private double number() {
        return AmfInput.number(in, "AMF0");
    }

    private int shortValue() {
        need(2);
        return in.readShort();
    }

    private int u8() {
        return AmfInput.u8(in, "AMF0");
    }

    private int u16() {
        need(2);
        return in.readUnsignedShort();
    }

    /** A U32 count or length, which cannot exceed the bytes left since every unit takes at least one byte. */
    private int u32Length() {
        need(4);
        long length = in.readUnsignedInt();
        if (length > in.readableBytes()) {
            throw new AmfException("AMF0 length " + length + " exceeds the " + in.readableBytes() + " bytes left");
        }
        return (int) length;
    }

    private String utf8(int length) {
        return AmfInput.utf8(in, length, "AMF0");
    }

    private void need(int bytes) {
        AmfInput.need(in, bytes, "AMF0");
    }

    private static void write(ByteBuf out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("AMF0 values nested deeper than " + MAX_DEPTH + " (a cycle?)");
        }
        switch (value) {
            case null -> out.writeByte(NULL);
            case Undefined u -> out.writeByte(UNDEFINED_MARKER);
            case Number n -> out.writeByte(NUMBER).writeDouble(n.doubleValue());
            case Boolean b -> out.writeByte(BOOLEAN).writeByte(b ? 1 : 0);
            case CharSequence s -> writeString(out, s);
            case EcmaArray a -> {
                out.writeByte(ECMA_ARRAY).writeInt(a.entries().size());
                writeMembers(out, a.entries(), depth);
            }
            case TypedObject t -> {
                out.writeByte(TYPED_OBJECT);
                writeKey(out, t.className());
                writeMembers(out, t.members(), depth);
            }
            case Map<?, ?> m -> {
                out.writeByte(OBJECT);
                writeMembers(out, m, depth);
            }
            case List<?> l -> {
                out.writeByte(STRICT_ARRAY).writeInt(l.size());
                for (Object element : l) {
                    write(out, element, depth + 1);
                }
            }
            case AmfDate d -> out.writeByte(DATE).writeDouble(d.millis()).writeShort(d.timezone());
            default -> throw new IllegalArgumentException("no AMF0 type for " + value.getClass().getName());
        }
    }

    private static void writeString(ByteBuf out, CharSequence s) {
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > MAX_SHORT_STRING) {
            out.writeByte(LONG_STRING).writeInt(length);
        } else {
            out.writeByte(STRING).writeShort(length);
        }
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    private static void writeMembers(ByteBuf out, Map<?, ?> members, int depth) {
        for (Map.Entry<?, ?> member : members.entrySet()) {
            writeKey(out, String.valueOf(member.getKey()));
            write(out, member.getValue(), depth + 1);
        }
        out.writeShort(0).writeByte(OBJECT_END);
    }

    private static void writeKey(ByteBuf out, String key) {
        int length = ByteBufUtil.utf8Bytes(key);
        if (length > MAX_SHORT_STRING) {
            throw new IllegalArgumentException("AMF0 property name of " + length + " bytes exceeds " + MAX_SHORT_STRING);
        }
        out.writeShort(length);
        ByteBufUtil.reserveAndWriteUtf8(out, key, length);
    }
}
