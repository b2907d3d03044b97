package io.jstack.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The defaults an image gives its containers (its config's {@code config}): the process, its
 * environment, working directory and user, and its healthcheck.
 *
 * @param entrypoint its entrypoint; empty for none
 * @param cmd its command; empty for none
 * @param workingDir its working directory, or null for none
 * @param user its user, or null for none
 * @param healthcheck its healthcheck, or null for none
 */
public record ImageConfig(
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    @Nullable String workingDir,
    @Nullable String user,
    @Nullable Healthcheck healthcheck) {

  public ImageConfig {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
  }

  /** The defaults in an image config (the whole JSON document). */
  static ImageConfig of(JsonNode imageConfig) {
    JsonNode c = imageConfig.path("config");
    return new ImageConfig(
        strings(c.path("Entrypoint")),
        strings(c.path("Cmd")),
        strings(c.path("Env")),
        text(c.path("WorkingDir")),
        text(c.path("User")),
        c.path("Healthcheck").isObject() ? Healthcheck.of(c.path("Healthcheck")) : null);
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  private static @Nullable String text(JsonNode n) {
    String s = n.asText("");
    return s.isEmpty() ? null : s;
  }
}
