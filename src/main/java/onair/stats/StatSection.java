package onair.stats;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The parts of the statistics an {@code rtmp_stat} location shows ({@code all|global|live|clients}); as in
 * nginx-rtmp the server-wide counters are always shown, {@code live} adds the streams and {@code clients} their
 * clients.
 */
public enum StatSection {
    GLOBAL, LIVE, CLIENTS;

    /** The sections named by the arguments of {@code rtmp_stat}; an unknown name is an IllegalArgumentException. */
    public static Set<StatSection> parse(List<String> names) {
        Set<StatSection> sections = EnumSet.noneOf(StatSection.class);
        for (String name : names) {
            switch (name) {
                case "all" -> sections.addAll(EnumSet.allOf(StatSection.class));
                case "global" -> sections.add(GLOBAL);
                case "live" -> sections.add(LIVE);
                case "clients" -> sections.add(CLIENTS);
                default -> throw new IllegalArgumentException("invalid value \"" + name
                    + "\", it must be \"all\", \"global\", \"live\" or \"clients\"");
            }
        }
        return sections;
    }
}
