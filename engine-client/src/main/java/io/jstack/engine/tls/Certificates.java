package io.jstack.engine.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Issues what mutual TLS between clients and an engine needs: a CA, a server certificate for the
 * engine's names and addresses, and client certificates, each with its own ECDSA P-256 key
 * (strength of RSA 3072, and quick to make) and signed with SHA-256.
 */
public final class Certificates {
  /** A CA lives ten years. */
  public static final Duration AUTHORITY_LIFETIME = Duration.ofDays(3650);

  /**
   * Server and client certificates live two years (browsers' limit is 398 days; no browser here).
   */
  public static final Duration LEAF_LIFETIME = Duration.ofDays(730);

  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String ORGANIZATION = "2.5.4.10";
  private static final String SUBJECT_KEY_ID = "2.5.29.14";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String AUTHORITY_KEY_ID = "2.5.29.35";
  private static final String EXT_KEY_USAGE = "2.5.29.37";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /** A certificate and its key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    /** Writes the certificate to {@code cert} (0644) and the key to {@code key} (0600). */
    public void write(Path cert, Path keyFile) throws IOException {
      writeNew(cert, Pem.encode(certificate), "rw-r--r--");
      writeNew(keyFile, Pem.encode(key), "rw-------");
    }
  }

  /** What a certificate is valid for, and from when to when. */
  public record Validity(Instant notBefore, Instant notAfter) {
    /** From a minute ago (clocks differ a little) for {@code lifetime}. */
    public static Validity startingNow(Duration lifetime) {
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
      return new Validity(now, now.plus(lifetime));
    }
  }

  /** A self-signed CA named {@code commonName}. */
  public static Issued authority(String commonName, Validity validity) {
    KeyPair pair = keyPair();
    List<byte[]> extensions =
        List.of(
            extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
            extension(KEY_USAGE, true, Der.namedBits(DIGITAL_SIGNATURE, KEY_CERT_SIGN, CRL_SIGN)),
            extension(SUBJECT_KEY_ID, false, Der.octets(keyId(pair.getPublic()))));
    byte[] name = name(commonName);
    return new Issued(
        sign(name, name, pair.getPublic(), validity, extensions, pair.getPrivate()),
        pair.getPrivate());
  }

  /**
   * A server certificate signed by {@code ca} for the host names {@code dnsNames} and the addresses
   * {@code addresses} (a client checks the one it connects to against these).
   */
  public static Issued server(
      Issued ca,
      String commonName,
      List<String> dnsNames,
      List<InetAddress> addresses,
      Validity validity) {
    List<byte[]> alternatives = new ArrayList<>();
    for (String d : dnsNames) {
      alternatives.add(Der.implicit(2, d.getBytes(StandardCharsets.US_ASCII)));
    }
    for (InetAddress a : addresses) {
      alternatives.add(Der.implicit(7, a.getAddress()));
    }
    return leaf(ca, commonName, SERVER_AUTH, Der.sequence(alternatives), validity);
  }

  /** A client certificate signed by {@code ca}. */
  public static Issued client(Issued ca, String commonName, Validity validity) {
    return leaf(ca, commonName, CLIENT_AUTH, null, validity);
  }

  /** The files {@link #writeDirectory} writes, in the order it writes them. */
  public static final List<String> DIRECTORY_FILES =
      List.of("ca.pem", "ca-key.pem", "server-cert.pem", "server-key.pem", "cert.pem", "key.pem");

  /**
   * Writes a CA, a server pair for {@code dnsNames} and {@code addresses} and a client pair to
   * {@code dir}, by the names Docker's tools use ({@link #DIRECTORY_FILES}): the engine takes
   * {@code ca.pem}, {@code server-cert.pem} and {@code server-key.pem}; a client's {@code
   * DOCKER_CERT_PATH} needs {@code ca.pem}, {@code cert.pem} and {@code key.pem}. Writes nothing
   * when any of them exists.
   *
   * @return the files written
   * @throws TlsException when one of the files exists already
   */
  public static List<Path> writeDirectory(
      Path dir, List<String> dnsNames, List<InetAddress> addresses, Duration leafLifetime)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    for (String f : DIRECTORY_FILES) {
      Path p = dir.resolve(f);
      if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new TlsException(
            p
                + " exists already: remove the old files, or write the new ones to another directory");
      }
      files.add(p);
    }
    Issued ca = authority("jstack CA", Validity.startingNow(AUTHORITY_LIFETIME));
    Issued server =
        server(
            ca,
            dnsNames.isEmpty() ? "localhost" : dnsNames.get(0),
            dnsNames,
            addresses,
            Validity.startingNow(leafLifetime));
    Issued client = client(ca, "jstack client", Validity.startingNow(leafLifetime));
    ca.write(files.get(0), files.get(1));
    server.write(files.get(2), files.get(3));
    client.write(files.get(4), files.get(5));
    return List.copyOf(files);
  }

  /** Whether {@code key} is the private half of {@code certificate}'s public key. */
  public static boolean matches(PrivateKey key, X509Certificate certificate) {
    PublicKey pub = certificate.getPublicKey();
    if (!pub.getAlgorithm().equals(key.getAlgorithm())) {
      return false;
    }
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] probe = "jstack key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] signed = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(pub);
      v.update(probe);
      return v.verify(signed);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static Issued leaf(
      Issued ca,
      String commonName,
      String purpose,
      byte @org.jspecify.annotations.Nullable [] alternatives,
      Validity validity) {
    KeyPair pair = keyPair();
    List<byte[]> extensions = new ArrayList<>();
    extensions.add(extension(BASIC_CONSTRAINTS, true, Der.sequence()));
    extensions.add(extension(KEY_USAGE, true, Der.namedBits(DIGITAL_SIGNATURE)));
    extensions.add(extension(EXT_KEY_USAGE, false, Der.sequence(Der.oid(purpose))));
    extensions.add(extension(SUBJECT_KEY_ID, false, Der.octets(keyId(pair.getPublic()))));
    extensions.add(
        extension(
            AUTHORITY_KEY_ID,
            false,
            Der.sequence(Der.implicit(0, keyId(ca.certificate().getPublicKey())))));
    if (alternatives != null) {
      extensions.add(extension(SUBJECT_ALT_NAME, false, alternatives));
    }
    byte[] issuer = ca.certificate().getSubjectX500Principal().getEncoded();
    return new Issued(
        sign(issuer, name(commonName), pair.getPublic(), validity, extensions, ca.key()),
        pair.getPrivate());
  }

  private static X509Certificate sign(
      byte[] issuer,
      byte[] subject,
      PublicKey subjectKey,
      Validity validity,
      List<byte[]> extensions,
      PrivateKey signer) {
    byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
    byte[] tbs =
        Der.sequence(
            Der.explicit(0, Der.integer(2)),
            Der.integer(new BigInteger(1, randomBytes(16))),
            algorithm,
            issuer,
            Der.sequence(Der.time(validity.notBefore()), Der.time(validity.notAfter())),
            subject,
            subjectKey.getEncoded(),
            Der.explicit(3, Der.sequence(extensions)));
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(signer);
      s.update(tbs);
      byte[] der = Der.sequence(tbs, algorithm, Der.bits(s.sign()));
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new TlsException("cannot sign a certificate: " + e.getMessage());
    }
  }

  private static byte[] name(String commonName) {
    return Der.sequence(
        Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8("jstack"))),
        Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
        : Der.sequence(Der.oid(oid), Der.octets(value));
  }

  /** A key identifier: the first 20 octets of the public key's SHA-256 (RFC 7093). */
  private static byte[] keyId(PublicKey key) {
    try {
      byte[] spki = key.getEncoded();
      // The subjectPublicKey bit string: the last element of the SubjectPublicKeyInfo.
      List<Der.Element> parts = Der.read(spki).get(0).children();
      byte[] bits = parts.get(parts.size() - 1).content();
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(bits, 1, bits.length));
      return Arrays.copyOf(hash, 20);
    } catch (GeneralSecurityException e) {
      throw new TlsException("cannot hash a public key: " + e.getMessage());
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new TlsException("cannot make an ECDSA P-256 key: " + e.getMessage());
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** Writes {@code text} to a file that must not exist yet, created with {@code mode}. */
  static void writeNew(Path file, String text, String mode) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    } catch (FileAlreadyExistsException e) {
      throw new TlsException(
          file + " exists already: remove it, or write the files to another directory");
    }
    Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
