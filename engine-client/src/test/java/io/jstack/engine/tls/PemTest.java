package io.jstack.engine.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
  @TempDir Path dir;

  private static Path fixture(String name) throws Exception {
    return Path.of(PemTest.class.getResource("/tls/" + name).toURI());
  }

  @Test
  void readsTheKeyFormsOpensslWrites() throws Exception {
    PrivateKey rsa = Pem.privateKey(fixture("rsa-pkcs1.pem"));
    assertThat(rsa.getAlgorithm()).isEqualTo("RSA");
    assertThat(Certificates.matches(rsa, Pem.certificates(fixture("rsa-cert.pem")).get(0)))
        .isTrue();
    PrivateKey ec = Pem.privateKey(fixture("ec-sec1.pem"));
    assertThat(ec.getAlgorithm()).isEqualTo("EC");
    assertThat(Certificates.matches(ec, Pem.certificates(fixture("ec-cert.pem")).get(0))).isTrue();
    assertThat(Certificates.matches(ec, Pem.certificates(fixture("rsa-cert.pem")).get(0)))
        .isFalse();
  }

  @Test
  void roundTrip_pkcs8AndCertificates() throws Exception {
    Certificates.Issued ca =
        Certificates.authority("ca", Certificates.Validity.startingNow(Duration.ofDays(1)));
    ca.write(dir.resolve("c.pem"), dir.resolve("k.pem"));
    assertThat(Files.readString(dir.resolve("k.pem"))).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Pem.privateKey(dir.resolve("k.pem")).getEncoded()).isEqualTo(ca.key().getEncoded());
    assertThat(Pem.certificates(dir.resolve("c.pem"))).containsExactly(ca.certificate());
  }

  @Test
  void refusals_sayWhichFileAndWhat() throws Exception {
    assertThatThrownBy(() -> Pem.privateKey(fixture("ec-encrypted.pem")))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("holds an encrypted key: decrypt it first (openssl pkey -in");
    assertThatThrownBy(() -> Pem.privateKey(dir.resolve("none.pem")))
        .hasMessage("cannot read " + dir.resolve("none.pem") + ": no such file");
    Files.writeString(dir.resolve("text.pem"), "hello\n");
    assertThatThrownBy(() -> Pem.certificates(dir.resolve("text.pem")))
        .hasMessage(dir.resolve("text.pem") + " is not a PEM file (no -----BEGIN ...----- block)");
    assertThatThrownBy(() -> Pem.certificates(fixture("ec-sec1.pem")))
        .hasMessageContaining("holds no certificate");
    assertThatThrownBy(() -> Pem.privateKey(fixture("ec-cert.pem")))
        .hasMessageContaining("holds no private key");
  }

  @Test
  void tlsFiles_refuseAKeyOfAnotherCertificate() throws Exception {
    TlsFiles mixed =
        new TlsFiles(fixture("ec-cert.pem"), fixture("ec-cert.pem"), fixture("rsa-pkcs1.pem"));
    assertThatThrownBy(mixed::keyManagers)
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("does not go with the certificate");
    TlsFiles fine =
        new TlsFiles(fixture("ec-cert.pem"), fixture("ec-cert.pem"), fixture("ec-sec1.pem"));
    assertThat(fine.clientContext().getProtocol()).isEqualTo("TLS");
  }
}
