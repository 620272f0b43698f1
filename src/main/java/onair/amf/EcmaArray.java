package onair.amf;

import java.util.Map;

/**
 * An AMF0 ECMA array (AMF0 spec §2.10): string-keyed entries in wire order, kept apart from an anonymous object so
 * that it is encoded back with marker 0x08, as {@code onMetaData} expects.
 */
public record EcmaArray(Map<String, Object> entries) {
}
