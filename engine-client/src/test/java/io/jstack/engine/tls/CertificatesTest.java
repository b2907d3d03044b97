package io.jstack.engine.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificatesTest {
  @TempDir Path dir;

  private static final Certificates.Validity NOW =
      Certificates.Validity.startingNow(Duration.ofDays(30));

  @Test
  void authority_isACaThatSignsItself() throws Exception {
    X509Certificate ca = Certificates.authority("test CA", NOW).certificate();
    ca.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isNotNegative();
    assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    // digitalSignature, keyCertSign, cRLSign
    assertThat(ca.getKeyUsage()).startsWith(true, false, false, false, false, true, true);
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=test CA,O=jstack");
    assertThat(ca.getVersion()).isEqualTo(3);
    assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
  }

  @Test
  void server_namesItsHostsAndAddresses_andChainsToTheCa() throws Exception {
    Certificates.Issued ca = Certificates.authority("test CA", NOW);
    X509Certificate server =
        Certificates.server(
                ca,
                "engine.example",
                List.of("engine.example", "localhost"),
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")),
                NOW)
            .certificate();
    server.verify(ca.certificate().getPublicKey());
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(server.getSubjectAlternativeNames())
        .containsExactly(
            List.of(2, "engine.example"),
            List.of(2, "localhost"),
            List.of(7, "127.0.0.1"),
            List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(server.getIssuerX500Principal())
        .isEqualTo(ca.certificate().getSubjectX500Principal());
    validate(server, ca.certificate(), new Date());
  }

  @Test
  void client_isForClientsOnly_andExpiresWhenItsValiditySays() throws Exception {
    Certificates.Issued ca = Certificates.authority("test CA", NOW);
    Instant now = Instant.now();
    Certificates.Validity past =
        new Certificates.Validity(now.minusSeconds(7200), now.minusSeconds(3600));
    X509Certificate client = Certificates.client(ca, "someone", past).certificate();
    assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(client.getNotAfter().toInstant())
        .isEqualTo(past.notAfter().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    validate(client, ca.certificate(), Date.from(now.minusSeconds(5000)));
    assertThatThrownBy(() -> validate(client, ca.certificate(), new Date()))
        .isInstanceOf(CertPathValidatorException.class)
        .hasMessageContaining("validity");
    Certificates.Issued other = Certificates.authority("other CA", NOW);
    assertThatThrownBy(
            () ->
                validate(
                    Certificates.client(other, "x", NOW).certificate(),
                    ca.certificate(),
                    new Date()))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void times_from2050_areGeneralizedTime() {
    Certificates.Issued ca =
        Certificates.authority(
            "long CA",
            new Certificates.Validity(
                Instant.parse("2049-12-31T23:59:59Z"), Instant.parse("2120-01-01T00:00:00Z")));
    assertThat(ca.certificate().getNotBefore().toInstant())
        .isEqualTo(Instant.parse("2049-12-31T23:59:59Z"));
    assertThat(ca.certificate().getNotAfter().toInstant())
        .isEqualTo(Instant.parse("2120-01-01T00:00:00Z"));
  }

  @Test
  void writeDirectory_writesTheSixFiles_keysPrivate_andNeverOverwrites() throws Exception {
    Path tls = dir.resolve("tls");
    List<Path> written =
        Certificates.writeDirectory(
            tls,
            List.of("localhost"),
            List.of(InetAddress.getByName("127.0.0.1")),
            Duration.ofDays(10));
    assertThat(written)
        .extracting(p -> p.getFileName().toString())
        .containsExactlyElementsOf(Certificates.DIRECTORY_FILES);
    for (String key : List.of("ca-key.pem", "server-key.pem", "key.pem")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve(key))))
          .isEqualTo("rw-------");
    }
    X509Certificate ca = Pem.certificates(tls.resolve("ca.pem")).get(0);
    X509Certificate server = Pem.certificates(tls.resolve("server-cert.pem")).get(0);
    X509Certificate client = Pem.certificates(tls.resolve("cert.pem")).get(0);
    validate(server, ca, new Date());
    validate(client, ca, new Date());
    assertThat(Certificates.matches(Pem.privateKey(tls.resolve("server-key.pem")), server))
        .isTrue();
    assertThat(Certificates.matches(Pem.privateKey(tls.resolve("key.pem")), client)).isTrue();
    assertThat(Certificates.matches(Pem.privateKey(tls.resolve("key.pem")), server)).isFalse();
    assertThat(
            Duration.between(client.getNotBefore().toInstant(), client.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(10));
    String before = Files.readString(tls.resolve("cert.pem"));
    Files.delete(tls.resolve("ca.pem"));
    assertThatThrownBy(
            () ->
                Certificates.writeDirectory(
                    tls, List.of("localhost"), List.of(), Duration.ofDays(10)))
        .isInstanceOf(TlsException.class)
        .hasMessage(
            tls.resolve("ca-key.pem")
                + " exists already: remove the old files, or write the new ones to another directory");
    assertThat(tls.resolve("ca.pem")).doesNotExist();
    assertThat(Files.readString(tls.resolve("cert.pem"))).isEqualTo(before);
  }

  private static void validate(X509Certificate leaf, X509Certificate ca, Date at) throws Exception {
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    params.setRevocationEnabled(false);
    params.setDate(at);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
  }
}
