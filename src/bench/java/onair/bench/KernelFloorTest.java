package onair.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KernelFloorTest {

    @Test
    void writesTheFilesBitrateToEveryConnectionInBothWritePatterns(@TempDir Path dir) throws Exception {
        FlvFile file = FlvFile.read(LoadGeneratorTest.syntheticFlv(dir.resolve("s.flv"), 50, 25, 2000));
        double perConnection = 25 * 8 * (KernelFloor.wireSize(2000) + KernelFloor.wireSize(32)) / 1e6;
        String perMessage = KernelFloor.run(file, 10, 2, 0.5, 10, true);
        String gathered = KernelFloor.run(file, 10, 2, 0.5, 10, false);

        for (String report : new String[] {perMessage, gathered}) {
            assertThat(number(report, "mbps")).as(report).isCloseTo(10 * perConnection, within(perConnection));
            assertThat(number(report, "shortWrites")).as(report).isZero();
        }
        assertThat(number(perMessage, "writesPerSecond")).as(perMessage).isCloseTo(10 * 50, within(50.0));
        assertThat(number(gathered, "writesPerSecond")).as(gathered).isLessThan(10 * 45);
    }

    private static double number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": ([0-9.]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
