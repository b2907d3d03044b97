package io.jstack.engine.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One side's mutual-TLS files: the CA whose certificates it trusts, and its own certificate and
 * key. A client finds them as Docker's CLI does ({@code DOCKER_CERT_PATH}: {@code ca.pem}, {@code
 * cert.pem}, {@code key.pem}); the engine is given them ({@code --tlscacert}, {@code --tlscert},
 * {@code --tlskey}).
 */
public record TlsFiles(Path ca, Path cert, Path key) {
  /** The protocol versions jstack speaks: TLS 1.2 and newer. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  public TlsFiles {
    Objects.requireNonNull(ca, "ca");
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
  }

  /** A client's files in {@code dir}, by the names {@code DOCKER_CERT_PATH} expects. */
  public static TlsFiles clientIn(Path dir) {
    return new TlsFiles(dir.resolve("ca.pem"), dir.resolve("cert.pem"), dir.resolve("key.pem"));
  }

  /**
   * The client's files when {@code env} asks for TLS as Docker's CLI reads it ({@code
   * DOCKER_TLS_VERIFY} set to anything non-empty), from {@code DOCKER_CERT_PATH}, else {@code
   * ~/.docker}; null when it does not.
   */
  public static @org.jspecify.annotations.Nullable TlsFiles fromEnvironment(
      Map<String, String> env) {
    String verify = env.get("DOCKER_TLS_VERIFY");
    if (verify == null || verify.isEmpty()) {
      return null;
    }
    String dir = env.get("DOCKER_CERT_PATH");
    if (dir == null || dir.isBlank()) {
      String home = env.getOrDefault("HOME", System.getProperty("user.home"));
      return clientIn(Path.of(home, ".docker"));
    }
    return clientIn(Path.of(dir));
  }

  /** Its own certificate (with any chain after it) and key, to present. */
  public KeyManagerFactory keyManagers() {
    List<X509Certificate> chain = Pem.certificates(cert);
    PrivateKey k = Pem.privateKey(key);
    if (!Certificates.matches(k, chain.get(0))) {
      throw new TlsException(
          "the key "
              + key
              + " does not go with the certificate "
              + cert
              + ": use the pair issued together");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("own", k, new char[0], chain.toArray(X509Certificate[]::new));
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(store, new char[0]);
      return f;
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException(
          "the key " + key + " does not go with the certificate " + cert + ": " + e.getMessage());
    }
  }

  /** Trusts what the CA signed, and nothing else. */
  public TrustManagerFactory trustManagers() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (X509Certificate c : Pem.certificates(ca)) {
        store.setCertificateEntry("ca" + i++, c);
      }
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      return f;
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException("cannot trust the CA in " + ca + ": " + e.getMessage());
    }
  }

  /** A client's context: presents its certificate, trusts the CA only. */
  public SSLContext clientContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers().getKeyManagers(), trustManagers().getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new TlsException("cannot set up TLS with " + this + ": " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "CA " + ca + ", certificate " + cert + ", key " + key;
  }
}
