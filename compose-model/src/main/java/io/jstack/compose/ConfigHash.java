package io.jstack.compose;

import io.jstack.compose.internal.bind.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Configuration hashes, stored on engine resources ({@code com.docker.compose.config-hash}) to tell
 * whether they must be recreated.
 *
 * <p>A service's hash is the SHA-256, in lower-case hex, of its canonical JSON ({@link
 * #canonicalJson(Service)}): the service as {@code jstack config --format json} prints it (keys
 * sorted, unset values left out, no {@code $} escaping, no whitespace), without the settings that
 * do not change a container: {@code build}, {@code pull_policy}, {@code scale}, {@code
 * deploy.replicas}, {@code depends_on} and {@code profiles} — the same exclusions as Docker Compose
 * — nor {@code x-*} extensions and {@code env_file} paths (their values are in {@code
 * environment}), which Compose leaves out too. The two tools' hashes differ (Compose hashes Go's
 * serialisation), so switching tools may recreate containers once.
 */
public final class ConfigHash {
  private ConfigHash() {}

  /** The hash of {@code service}. */
  public static String of(Service service) {
    return sha256(canonicalJson(service));
  }

  /** The hash of a top-level network's settings. */
  public static String of(Network network) {
    return sha256(CanonicalJson.write(withoutExtensions(Writer.toPlain(network, false))));
  }

  /** The hash of a top-level volume's settings. */
  public static String of(Volume volume) {
    return sha256(CanonicalJson.write(withoutExtensions(Writer.toPlain(volume, false))));
  }

  /** The JSON that {@link #of(Service)} hashes. */
  public static String canonicalJson(Service service) {
    Map<String, Object> tree = withoutExtensions(Writer.toPlain(service, false));
    tree.remove("build");
    tree.remove("pull_policy");
    tree.remove("scale");
    tree.remove("depends_on");
    tree.remove("profiles");
    // Env file values are already in environment; their paths do not change a container.
    tree.remove("env_file");
    if (tree.get("deploy") instanceof Map<?, ?> deploy) {
      Map<String, Object> d = new TreeMap<>();
      deploy.forEach((k, v) -> d.put((String) k, v));
      d.remove("replicas");
      if (d.isEmpty()) {
        tree.remove("deploy");
      } else {
        tree.put("deploy", d);
      }
    }
    return CanonicalJson.write(tree);
  }

  private static Map<String, Object> withoutExtensions(Object plain) {
    Map<String, Object> tree = new TreeMap<>();
    ((Map<?, ?>) plain).forEach((k, v) -> tree.put((String) k, v));
    tree.keySet().removeIf(k -> k.startsWith("x-"));
    return tree;
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
