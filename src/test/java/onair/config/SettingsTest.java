package onair.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The settings tables of both sections against the directives they refuse or ignore by name. */
class SettingsTest {

    @Test
    void aDirectiveIsEitherASettingOrRefusedAsNotSupportedYetNeverBoth() {
        assertThat(ConfigBinder.UNSUPPORTED).noneMatch(ConfigBinder.RTMP::knows);
        assertThat(HttpConfigBinder.UNSUPPORTED).noneMatch(HttpConfigBinder.HTTP::knows);
        assertThat(HttpConfigBinder.IGNORED).noneMatch(HttpConfigBinder.HTTP::knows);
    }

    @Test
    void eachSectionFindsASettingOnlyInTheContextsItAllows() {
        assertThat(ConfigBinder.RTMP.find("hls_fragment", Context.APPLICATION)).containsSame(HlsConfig.FRAGMENT);
        assertThat(ConfigBinder.RTMP.find("hls_fragment", Context.RECORDER)).isEmpty();
        assertThat(ConfigBinder.RTMP.find("allow", Context.RECORDER)).containsSame(AdmissionConfig.ACCESS);
        assertThat(HttpConfigBinder.HTTP.find("allow", Context.LOCATION)).containsSame(HttpLocation.ACCESS);
        assertThat(HttpConfigBinder.HTTP.find("ssl_certificate", Context.HTTP_SERVER)).containsSame(SslConfig.CERTIFICATE);
        assertThat(ConfigBinder.RTMP.find("ssl_certificate", Context.RTMP_SERVER)).containsSame(SslConfig.CERTIFICATE);
        assertThat(HttpConfigBinder.HTTP.knows("hls")).isFalse();
    }
}
