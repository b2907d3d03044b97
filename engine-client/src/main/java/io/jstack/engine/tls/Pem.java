package io.jstack.engine.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files (RFC 7468) of certificates and private keys, as Docker's tools write and read them:
 * keys in PKCS #8 ({@code PRIVATE KEY}), and also the older PKCS #1 ({@code RSA PRIVATE KEY}) and
 * SEC 1 ({@code EC PRIVATE KEY}) forms that {@code openssl genrsa} and {@code ecparam} write.
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\R(.*?)-----END \\1-----", Pattern.DOTALL);

  private static final String RSA = "1.2.840.113549.1.1.1";
  private static final String EC = "1.2.840.10045.2.1";

  private Pem() {}

  /** One block of a PEM file: its label and its DER octets. */
  record Block(String label, byte[] der) {}

  /**
   * The certificates in {@code file}, in order (a chain: the first is the holder's).
   *
   * @throws TlsException when it cannot be read or holds no certificate
   */
  public static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file)) {
        if (b.label().equals("CERTIFICATE")) {
          out.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
    } catch (CertificateException e) {
      throw new TlsException(file + " holds a certificate that cannot be read: " + e.getMessage());
    }
    if (out.isEmpty()) {
      throw new TlsException(file + " holds no certificate (no -----BEGIN CERTIFICATE----- block)");
    }
    return List.copyOf(out);
  }

  /**
   * The private key in {@code file}.
   *
   * @throws TlsException when it cannot be read, is encrypted, or is of a kind not known here
   */
  public static PrivateKey privateKey(Path file) {
    for (Block b : blocks(file)) {
      try {
        switch (b.label()) {
          case "PRIVATE KEY":
            return pkcs8(b.der());
          case "RSA PRIVATE KEY":
            return pkcs8(
                Der.sequence(
                    Der.integer(0), Der.sequence(Der.oid(RSA), Der.nul()), Der.octets(b.der())));
          case "EC PRIVATE KEY":
            return pkcs8(
                Der.sequence(
                    Der.integer(0),
                    Der.sequence(Der.oid(EC), curveOf(b.der())),
                    Der.octets(b.der())));
          case "ENCRYPTED PRIVATE KEY":
            throw new TlsException(
                file
                    + " holds an encrypted key: decrypt it first (openssl pkey -in "
                    + file
                    + " -out key.pem)");
          default:
            // Not a key (a certificate, parameters): look further.
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new TlsException(
            file + " holds a " + b.label() + " that cannot be read: " + e.getMessage());
      }
    }
    throw new TlsException(file + " holds no private key (no -----BEGIN PRIVATE KEY----- block)");
  }

  /** {@code certificate} as a PEM block. */
  public static String encode(X509Certificate certificate) {
    try {
      return encode("CERTIFICATE", certificate.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new TlsException("cannot encode a certificate: " + e.getMessage());
    }
  }

  /** {@code key} as a PKCS #8 PEM block. */
  public static String encode(PrivateKey key) {
    return encode("PRIVATE KEY", key.getEncoded());
  }

  static String encode(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  static List<Block> blocks(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new TlsException("cannot read " + file + ": no such file");
    } catch (IOException e) {
      throw new TlsException("cannot read " + file + ": " + e.getMessage());
    }
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String body = m.group(2);
      if (body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
        throw new TlsException(
            file
                + " holds an encrypted key: decrypt it first (openssl pkey -in "
                + file
                + " -out key.pem)");
      }
      try {
        out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw new TlsException(file + " has a " + m.group(1) + " block that is not base64");
      }
    }
    if (out.isEmpty()) {
      throw new TlsException(file + " is not a PEM file (no -----BEGIN ...----- block)");
    }
    return out;
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    List<Der.Element> info = Der.read(der).get(0).children();
    String algorithm = Der.oidText(info.get(1).children().get(0).content());
    String kind =
        switch (algorithm) {
          case RSA -> "RSA";
          case EC -> "EC";
          case "1.3.101.112" -> "Ed25519";
          default -> throw new GeneralSecurityException("unknown key algorithm " + algorithm);
        };
    return KeyFactory.getInstance(kind).generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  /** The named curve of a SEC 1 key: its {@code [0] parameters}. */
  private static byte[] curveOf(byte[] sec1) throws GeneralSecurityException {
    for (Der.Element e : Der.read(sec1).get(0).children()) {
      if (e.tag() == 0xa0) {
        return e.content();
      }
    }
    throw new GeneralSecurityException("the EC key names no curve");
  }
}
