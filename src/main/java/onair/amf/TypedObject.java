package onair.amf;

import java.util.Map;

/** An AMF0 typed object (AMF0 spec §2.18): an object with the alias of the class it was registered under. */
public record TypedObject(String className, Map<String, Object> members) {
}
