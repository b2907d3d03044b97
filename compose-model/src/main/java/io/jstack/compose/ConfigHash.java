package io.jstack.compose;

import io.jstack.compose.internal.bind.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration hash of a service, stored on its containers ({@code
 * com.docker.compose.config-hash}) to tell whether they must be recreated.
 *
 * <p>It is the SHA-256, in lower-case hex, of the service's canonical JSON: the service as {@code
 * jstack config --format json} prints it (keys sorted, unset values left out, no {@code $}
 * escaping, no whitespace), without the settings that do not change a container: {@code build},
 * {@code pull_policy}, {@code scale}, {@code deploy.replicas}, {@code depends_on} and {@code
 * profiles} — the same exclusions as Docker Compose. The two tools' hashes differ (Compose hashes
 * Go's serialisation), so switching tools may recreate containers once.
 */
public final class ConfigHash {
  private ConfigHash() {}

  /** The hash of {@code service}. */
  public static String of(Service service) {
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = new TreeMap<>((Map<String, Object>) Writer.toPlain(service, false));
    tree.remove("build");
    tree.remove("pull_policy");
    tree.remove("scale");
    tree.remove("depends_on");
    tree.remove("profiles");
    // Env file values are already in environment; their paths do not change a container.
    tree.remove("env_file");
    tree.keySet().removeIf(k -> k.startsWith("x-"));
    if (tree.get("deploy") instanceof Map<?, ?> deploy) {
      @SuppressWarnings("unchecked")
      Map<String, Object> d = new TreeMap<>((Map<String, Object>) deploy);
      d.remove("replicas");
      if (d.isEmpty()) {
        tree.remove("deploy");
      } else {
        tree.put("deploy", d);
      }
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(CanonicalJson.write(tree).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
