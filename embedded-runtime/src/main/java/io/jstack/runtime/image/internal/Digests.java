package io.jstack.runtime.image.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 digests in the OCI form {@code sha256:<64 hex>}. */
public final class Digests {
  private Digests() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public static String of(byte[] data) {
    return format(sha256().digest(data));
  }

  public static String format(byte[] hash) {
    return "sha256:" + HexFormat.of().formatHex(hash);
  }

  /** The hex part, after checking the form (so that it is safe as a file name). */
  public static String hex(String digest) {
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    return digest.substring(7);
  }
}
