package onair.hls;

import onair.config.ServerConfig;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentKeysTest {

    @Test
    void aFreshKeyComesWithTheFirstSegmentAndEveryHlsFragmentsPerKeySegments() {
        SegmentKeys keys = keys("hls_keys on; hls_fragments_per_key 2;");

        SegmentKeys.Key first = keys.next(0);
        SegmentKeys.Key second = keys.next(1);
        SegmentKeys.Key third = keys.next(2);

        assertThat(first.fresh()).isTrue();
        assertThat(first.name()).isEqualTo("s-0.key");
        assertThat(second.fresh()).isFalse();
        assertThat(second.name()).isEqualTo("s-0.key");
        assertThat(second.bytes()).isEqualTo(first.bytes());
        assertThat(third.fresh()).isTrue();
        assertThat(third.name()).isEqualTo("s-2.key");
        assertThat(third.bytes()).hasSize(16).isNotEqualTo(first.bytes());
    }

    @Test
    void aDroppedSegmentsFreshKeyIsReplacedByTheNextSegmentsOwn() {
        SegmentKeys keys = keys("hls_keys on;");
        SegmentKeys.Key dropped = keys.next(0);

        keys.dropped(dropped);

        assertThat(keys.next(1)).satisfies(key -> {
            assertThat(key.fresh()).isTrue();
            assertThat(key.name()).isEqualTo("s-1.key");
        });
        assertThat(keys.next(2).fresh()).isFalse();
    }

    @Test
    void withoutHlsKeysSegmentsHaveNoKey() {
        assertThat(keys("").next(0)).isNull();
    }

    @Test
    void aSegmentIsEncryptedWithAes128CbcUnderItsSequenceNumberAsIv() throws Exception {
        byte[] key = new byte[16];
        byte[] plain = "a segment".getBytes(StandardCharsets.US_ASCII);

        byte[] encrypted = SegmentKeys.encrypt(plain, key, 7);

        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Playlist.iv(7)));
        assertThat(encrypted).hasSize(16);
        assertThat(cipher.doFinal(encrypted)).isEqualTo(plain);
    }

    private static SegmentKeys keys(String directives) {
        ServerConfig config = ServerConfig.parse("rtmp { server { listen 1935; application live { live on; hls on; "
            + "hls_path /tmp/hls; " + directives + " } } }", "t.conf");
        var hls = config.application("live").orElseThrow().hls();
        return new SegmentKeys(hls, HlsOutput.Layout.of(hls, "s"));
    }
}
