package onair.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code allow}/{@code deny} rules as nginx-rtmp evaluates them: in order, the first match wins, no match allows. */
class AccessRuleTest {

    /** The verdict of {@code rules} ("allow publish 10.0.0.0/8", "deny all", … separated by ";"). */
    private static String verdict(String rules, String action, String address) throws Exception {
        List<AccessRule> parsed = Arrays.stream(rules.split(";")).map(String::strip).map(rule -> {
            List<String> words = List.of(rule.split(" +"));
            return AccessRule.parse(words.getFirst().equals("allow"), words.subList(1, words.size()));
        }).toList();
        InetAddress client = InetAddress.getByName(address);
        for (AccessRule rule : parsed) {
            if (rule.matches(client, action.equals("publish"))) {
                return rule.allow() ? "allow" : "deny";
            }
        }
        return "allow";
    }

    @ParameterizedTest(name = "{0} | {1} from {2} → {3}")
    @CsvSource(delimiter = '|', textBlock = """
            deny publish 192.168.1.5                          | publish | 192.168.1.5   | deny
            deny publish 192.168.1.5                          | publish | 192.168.1.6   | allow
            deny publish 192.168.1.5                          | play    | 192.168.1.5   | allow
            deny 192.168.1.5                                  | play    | 192.168.1.5   | deny
            deny publish play 192.168.1.5                     | play    | 192.168.1.5   | deny
            allow publish 10.0.0.0/8; deny publish all        | publish | 10.200.3.4    | allow
            allow publish 10.0.0.0/8; deny publish all        | publish | 11.0.0.1      | deny
            allow publish 10.0.0.0/8; deny publish all        | play    | 11.0.0.1      | allow
            deny publish all; allow publish 10.0.0.0/8        | publish | 10.0.0.1      | deny
            allow play 192.168.0.0/22; deny play all          | play    | 192.168.3.255 | allow
            allow play 192.168.0.0/22; deny play all          | play    | 192.168.4.0   | deny
            allow play 192.168.1.77/24; deny play all         | play    | 192.168.1.1   | allow
            deny play 0.0.0.0/0                               | play    | 8.8.8.8       | deny
            deny play ::1                                     | play    | ::1           | deny
            deny play ::1                                     | play    | 127.0.0.1     | allow
            allow publish 2001:db8::/32; deny publish all     | publish | 2001:db8:1::7 | allow
            allow publish 2001:db8::/32; deny publish all     | publish | 2001:db9::7   | deny
            deny publish 10.0.0.0/8                           | publish | 2001:db8::1   | allow
            deny publish all                                  | publish | 2001:db8::1   | deny
            deny publish ::ffff:10.1.2.3                      | publish | 10.1.2.3      | deny
            """)
    void rulesAreEvaluatedInOrderAndTheFirstMatchWins(String rules, String action, String address, String verdict)
        throws Exception {
        assertThat(verdict(rules, action, address)).isEqualTo(verdict);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            allow publish 10.0.0.0/33;   | invalid value "publish 10.0.0.0/33" in "allow" directive, the prefix length must be between 0 and 32
            deny play example.com;       | invalid value "play example.com" in "deny" directive, "example.com" is not an IPv4 or IPv6 address
            deny record all;             | invalid value "record all" in "deny" directive, unexpected "record", the actions are "publish" and "play"
            allow;                       | invalid number of arguments in "allow" directive
            """)
    void badRulesAreRefusedWithFileAndLine(String directive, String message) {
        assertThatThrownBy(() -> ServerConfig.parse("rtmp { server { listen 1; application a {\n" + directive
            + "\n} } }", "t.conf")).isInstanceOf(ConfigException.class).hasMessage("t.conf:2: " + message);
    }
}
