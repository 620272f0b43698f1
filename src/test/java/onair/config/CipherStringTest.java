package onair.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CipherStringTest {

    private static final List<String> TLS13 =
        List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");

    /** The enabled suites of Temurin 25, in its order. */
    private static final List<String> ENABLED = concat(TLS13, List.of(
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"));

    private static final Set<String> SUPPORTED = Set.copyOf(concat(ENABLED,
        List.of("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
            "TLS_ECDH_anon_WITH_AES_128_CBC_SHA")));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384 | TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
        EECDH+AESGCM:EDH+AESGCM                                 | TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 TLS_DHE_DSS_WITH_AES_256_GCM_SHA384 TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 TLS_DHE_DSS_WITH_AES_128_GCM_SHA256
        ECDHE+CHACHA20:-aECDSA                                  | TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
        ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:+AES256 | TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
        ECDHE+AES128+SHA1,RC4-SHA DES-CBC3-SHA                  | TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
        AES128-GCM-SHA256:TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA    | TLS_RSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
        !ECDHE:ECDHE-RSA-AES128-SHA:DHE-DSS-AES128-SHA          | TLS_DHE_DSS_WITH_AES_128_CBC_SHA
        """)
    void anOpenSslListSelectsItsSuitesInItsOrderAfterTheTls13Ones(String list, String suites) {
        assertThat(CipherString.select(list, ENABLED, SUPPORTED))
            .containsExactlyElementsOf(concat(TLS13, List.of(suites.split(" "))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        HIGH:!aNULL:!MD5
        DEFAULT
        ALL:@STRENGTH:@SECLEVEL=2
        """)
    void nginxsDefaultAndTheKeywordsOfEveryTutorialKeepTheJdksOrder(String list) {
        assertThat(CipherString.select(list, ENABLED, SUPPORTED)).containsExactlyElementsOf(
            ENABLED.stream().filter(name -> !name.endsWith("_SCSV")).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        TLS_AES_128_GCM_SHA256                                     | TLS_AES_128_GCM_SHA256
        TLS_AES_128_GCM_SHA256:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 | TLS_AES_128_GCM_SHA256 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
        """)
    void namedTls13SuitesReplaceTheDefaultOnes(String list, String suites) {
        assertThat(CipherString.select(list, ENABLED, SUPPORTED)).containsExactly(suites.split(" "));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        RC4-SHA:DES-CBC3-SHA
        !aNULL
        HIGH:!HIGH
        ECDH_anon+AES
        """)
    void aListThatSelectsNothingIsRefused(String list) {
        assertThatThrownBy(() -> CipherString.select(list, ENABLED, SUPPORTED))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("no cipher suite of the JDK matches");
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
