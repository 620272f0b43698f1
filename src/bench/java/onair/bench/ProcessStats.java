package onair.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a Linux process from {@code /proc}: utime + stime of all its threads (proc(5)
 * fields 14 and 15, in clock ticks of 1/100 s) and VmRSS.
 */
record ProcessStats(double cpuSeconds, long rssKb) {

    private static final double TICKS_PER_SECOND = 100.0;

    static ProcessStats of(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new ProcessStats(ticks / TICKS_PER_SECOND, rss);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid, e);
        }
    }
}
