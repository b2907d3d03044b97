package io.jstack.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The defaults an image gives its containers (its config's {@code config}): the process, its
 * environment, working directory and user, labels, exposed ports, stop signal and healthcheck.
 *
 * @param entrypoint its entrypoint; empty for none
 * @param cmd its command; empty for none
 * @param workingDir its working directory, or null for none
 * @param user its user, or null for none
 * @param exposedPorts its exposed ports ({@code 8080/tcp})
 * @param stopSignal its stop signal, or null for none
 * @param healthcheck its healthcheck, or null for none
 * @param volumes its volumes' paths; empty for none
 * @param shell the shell of a build's shell-form commands; empty for the default
 * @param onBuild the triggers a child build runs; empty for none
 */
public record ImageConfig(
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    @Nullable String workingDir,
    @Nullable String user,
    Map<String, String> labels,
    List<String> exposedPorts,
    @Nullable String stopSignal,
    @Nullable Healthcheck healthcheck,
    List<String> volumes,
    List<String> shell,
    List<String> onBuild) {

  public ImageConfig {
    volumes = List.copyOf(volumes);
    shell = List.copyOf(shell);
    onBuild = List.copyOf(onBuild);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    exposedPorts = List.copyOf(exposedPorts);
  }

  /** The defaults in an image config (the whole JSON document). */
  static ImageConfig of(JsonNode imageConfig) {
    JsonNode c = imageConfig.path("config");
    Map<String, String> labels = new TreeMap<>();
    c.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<String> exposed = new ArrayList<>();
    c.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
    List<String> volumes = new ArrayList<>();
    c.path("Volumes").fieldNames().forEachRemaining(volumes::add);
    return new ImageConfig(
        strings(c.path("Entrypoint")),
        strings(c.path("Cmd")),
        strings(c.path("Env")),
        text(c.path("WorkingDir")),
        text(c.path("User")),
        labels,
        exposed,
        text(c.path("StopSignal")),
        c.path("Healthcheck").isObject() ? Healthcheck.of(c.path("Healthcheck")) : null,
        volumes,
        strings(c.path("Shell")),
        strings(c.path("OnBuild")));
  }

  /** Sets these defaults in an image config's {@code config} object (other fields stay). */
  void writeTo(ObjectNode c) {
    set(c, "Entrypoint", entrypoint);
    set(c, "Cmd", cmd);
    set(c, "Env", env);
    text(c, "WorkingDir", workingDir);
    text(c, "User", user);
    ObjectNode l = c.putObject("Labels");
    labels.forEach(l::put);
    ObjectNode ports = c.putObject("ExposedPorts");
    exposedPorts.forEach(ports::putObject);
    text(c, "StopSignal", stopSignal);
    if (healthcheck == null) {
      c.remove("Healthcheck");
    } else {
      c.set("Healthcheck", healthcheck.json());
    }
    if (volumes.isEmpty()) {
      c.putNull("Volumes");
    } else {
      ObjectNode v = c.putObject("Volumes");
      volumes.forEach(v::putObject);
    }
    if (shell.isEmpty()) {
      c.remove("Shell");
    } else {
      set(c, "Shell", shell);
    }
    set(c, "OnBuild", onBuild);
  }

  private static void set(ObjectNode c, String field, List<String> values) {
    if (values.isEmpty()) {
      c.putNull(field);
    } else {
      values.forEach(c.putArray(field)::add);
    }
  }

  private static void text(ObjectNode c, String field, @Nullable String value) {
    if (value == null) {
      c.remove(field);
    } else {
      c.put(field, value);
    }
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
