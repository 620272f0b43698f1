package onair.rtmp.command;

import onair.amf.EcmaArray;
import onair.media.Codec;
import onair.media.MediaFrame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Enhanced RTMP capabilities of a {@code connect} command object (E-RTMP v2, "Enhancing NetConnection connect
 * Command"): {@code fourCcList}, {@code videoFourCcInfoMap}, {@code audioFourCcInfoMap} and {@code capsEx}. A server
 * states its own with the same names in the properties of its {@code _result}.
 *
 * @param announced whether the command object carried any of the four properties
 * @param capsEx    the CapsExMask bits, 0 when absent
 */
public record Capabilities(boolean announced, List<String> fourCcList, Map<String, Integer> videoFourCcInfoMap,
    Map<String, Integer> audioFourCcInfoMap, int capsEx) {

    /** CapsExMask.Reconnect: handles {@code NetConnection.Connect.ReconnectRequest}. */
    public static final int RECONNECT = 0x01;
    /** CapsExMask.Multitrack. */
    public static final int MULTITRACK = 0x02;
    /** CapsExMask.ModEx: can parse the ModEx signal. */
    public static final int MOD_EX = 0x04;
    /** FourCcInfoMask.CanForward (CanDecode is 0x01, CanEncode 0x02: a forwarder sets neither). */
    public static final int CAN_FORWARD = 0x04;

    /** Entries kept of a list or map; a client has no need of more (the spec names a dozen codecs). */
    static final int MAX_ENTRIES = 64;
    private static final int MAX_FOUR_CC = 4;

    /** The capabilities of a legacy client: nothing announced. */
    public static final Capabilities NONE = new Capabilities(false, List.of(), Map.of(), Map.of(), 0);

    public Capabilities {
        fourCcList = List.copyOf(fourCcList);
        videoFourCcInfoMap = Collections.unmodifiableMap(new LinkedHashMap<>(videoFourCcInfoMap));
        audioFourCcInfoMap = Collections.unmodifiableMap(new LinkedHashMap<>(audioFourCcInfoMap));
    }

    /**
     * The capabilities in a connect command object. Entries that are not FourCCs (up to four characters, or the
     * wildcard "*") or whose value is not a number are skipped, and at most {@value #MAX_ENTRIES} are kept of each;
     * an info map may come as an object or an ECMA array.
     */
    public static Capabilities read(Map<?, ?> commandObject) {
        Object list = commandObject.get("fourCcList");
        Object video = commandObject.get("videoFourCcInfoMap");
        Object audio = commandObject.get("audioFourCcInfoMap");
        Object caps = commandObject.get("capsEx");
        if (list == null && video == null && audio == null && caps == null) {
            return NONE;
        }
        List<String> fourCcs = new ArrayList<>();
        if (list instanceof List<?> entries) {
            for (Object entry : entries) {
                if (fourCcs.size() < MAX_ENTRIES && entry instanceof String fourCc && fourCc(fourCc)) {
                    fourCcs.add(fourCc);
                }
            }
        }
        return new Capabilities(true, fourCcs, infoMap(video), infoMap(audio),
            caps instanceof Number number ? (int) number.longValue() : 0);
    }

    /**
     * What a server that forwards every codec Onair knows by FourCC, decoding and encoding none, and implements
     * the CapsExMask bits {@code capsEx} answers.
     */
    public static Capabilities forwarder(int capsEx) {
        List<String> fourCcs = new ArrayList<>();
        Map<String, Integer> video = new LinkedHashMap<>();
        Map<String, Integer> audio = new LinkedHashMap<>();
        for (Codec codec : Codec.values()) {
            if (codec.fourCc() != null) {
                fourCcs.add(codec.fourCc());
                (codec.kind() == MediaFrame.Kind.VIDEO ? video : audio).put(codec.fourCc(), CAN_FORWARD);
            }
        }
        return new Capabilities(true, fourCcs, video, audio, capsEx);
    }

    /** Whether every bit of {@code mask} is set in {@code capsEx}. */
    public boolean has(int mask) {
        return (capsEx & mask) == mask;
    }

    /** Puts the four properties into {@code properties} as AMF values: a strict array, two objects, a number. */
    public void putInto(Map<String, Object> properties) {
        properties.put("fourCcList", fourCcList);
        properties.put("videoFourCcInfoMap", amf(videoFourCcInfoMap));
        properties.put("audioFourCcInfoMap", amf(audioFourCcInfoMap));
        properties.put("capsEx", (double) capsEx);
    }

    private static Map<String, Integer> infoMap(Object value) {
        Map<String, Integer> map = new LinkedHashMap<>();
        if ((value instanceof EcmaArray array ? array.entries() : value) instanceof Map<?, ?> entries) {
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                if (map.size() < MAX_ENTRIES && entry.getKey() instanceof String fourCc && fourCc(fourCc)
                    && entry.getValue() instanceof Number mask) {
                    map.put(fourCc, (int) mask.longValue());
                }
            }
        }
        return map;
    }

    private static Map<String, Object> amf(Map<String, Integer> infoMap) {
        Map<String, Object> object = new LinkedHashMap<>();
        infoMap.forEach((fourCc, mask) -> object.put(fourCc, (double) mask));
        return object;
    }

    private static boolean fourCc(String text) {
        return !text.isEmpty() && text.length() <= MAX_FOUR_CC;
    }
}
