package onair.config;

import java.time.Duration;

/** nginx value syntax: sizes ({@code 4000}, {@code 4k}, {@code 1m}, {@code 1g}), times and on/off flags. */
final class Units {

    private static final String TIME_UNITS = "yMwdhms";
    private static final long[] TIME_UNIT_MILLIS = {
        365L * 86_400_000, 30L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000,
    };

    private Units() {}

    /** A byte count; {@code k}, {@code m} and {@code g} (either case) multiply by powers of 1024. */
    static long size(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException();
        }
        int shift = switch (text.charAt(text.length() - 1)) {
            case 'k', 'K' -> 10;
            case 'm', 'M' -> 20;
            case 'g', 'G' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        long value = number(digits);
        if (value > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException();
        }
        return value << shift;
    }

    /**
     * A time: numbers with units in decreasing order ({@code 1h30m}, {@code 500ms}, {@code 1d 12h});
     * a number without a unit means seconds.
     */
    static Duration time(String text) {
        long total = 0;
        int lastUnit = -1;
        int i = 0;
        boolean any = false;
        while (i < text.length()) {
            if (text.charAt(i) == ' ') {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            long value = number(text.substring(start, i));
            int unit;
            long millis;
            if (text.startsWith("ms", i)) {
                unit = TIME_UNITS.length();
                millis = 1;
                i += 2;
            } else if (i < text.length() && TIME_UNITS.indexOf(text.charAt(i)) >= 0) {
                unit = TIME_UNITS.indexOf(text.charAt(i));
                millis = TIME_UNIT_MILLIS[unit];
                i++;
            } else if (i == text.length() || text.charAt(i) == ' ') {
                unit = TIME_UNITS.indexOf('s');
                millis = 1_000;
            } else {
                throw new IllegalArgumentException();
            }
            if (unit <= lastUnit) {
                throw new IllegalArgumentException();
            }
            lastUnit = unit;
            if (value > (Long.MAX_VALUE - total) / millis) {
                throw new IllegalArgumentException();
            }
            total += value * millis;
            any = true;
        }
        if (!any) {
            throw new IllegalArgumentException();
        }
        return Duration.ofMillis(total);
    }

    /** {@code on} or {@code off}, exactly. */
    static boolean flag(String text) {
        return switch (text) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("it must be \"on\" or \"off\"");
        };
    }

    private static long number(String digits) {
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException();
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException();
        }
    }
}
