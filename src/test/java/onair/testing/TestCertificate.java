package onair.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made with the running JDK's {@code keytool}
 * and exported as the two PEM files nginx's {@code ssl_certificate} and {@code ssl_certificate_key} take.
 */
public record TestCertificate(Path certificate, Path key, X509Certificate x509, PrivateKey privateKey) {

    private static final String PASSWORD = "changeit";

    /** Creates {@code cert.pem} and {@code key.pem} in {@code dir} for a new key pair of {@code keyalg} (RSA, EC). */
    public static TestCertificate create(Path dir, String keyalg) {
        try {
            Files.createDirectories(dir);
            Path store = dir.resolve("keystore.p12");
            Files.deleteIfExists(store);
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "onair",
                    "-keyalg", keyalg, "-validity", "2", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, PASSWORD.toCharArray());
            }
            X509Certificate x509 = (X509Certificate) keyStore.getCertificate("onair");
            PrivateKey privateKey = (PrivateKey) keyStore.getKey("onair", PASSWORD.toCharArray());
            Path certificate = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            Files.writeString(certificate, pem("CERTIFICATE", x509.getEncoded()));
            Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
            return new TestCertificate(certificate, key, x509, privateKey);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a test certificate in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One PEM block: {@code -----BEGIN label-----}, base64 in 64-character lines, {@code -----END label-----}. */
    public static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return String.join("\n", List.of("-----BEGIN " + label + "-----", body, "-----END " + label + "-----", ""));
    }
}
