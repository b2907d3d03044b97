package io.jstack.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.image.ImageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one decoder of Docker's create body into the runtime's {@link ContainerConfig}: the command
 * line and environment over the image's, its layers, mounts (binds, tmpfs, named and anonymous
 * volumes), limits, capabilities and console, and its network mode, hosts and resolv.conf entries
 * (from {@link NetworkAttachments}).
 */
final class CreateDecoder {
  private final ImageStore images;
  private final Volumes volumes;
  private final NetworkAttachments attachments;

  CreateDecoder(ImageStore images, Volumes volumes, NetworkAttachments attachments) {
    this.images = images;
    this.volumes = volumes;
    this.attachments = attachments;
  }

  /**
   * The process a create request runs: its entrypoint and command, each from the image unless the
   * request sets it (a request's entrypoint also drops the image's command).
   */
  static List<String> commandLine(JsonNode body, JsonNode imageConfig) {
    List<String> entrypoint =
        body.path("Entrypoint").isArray()
            ? Json.strings(body.path("Entrypoint"))
            : Json.strings(imageConfig.path("Entrypoint"));
    List<String> cmd =
        body.path("Cmd").isArray()
            ? Json.strings(body.path("Cmd"))
            : body.path("Entrypoint").isArray() ? List.of() : Json.strings(imageConfig.path("Cmd"));
    List<String> args = new ArrayList<>(entrypoint);
    args.addAll(cmd);
    return args;
  }

  /**
   * The configuration of container {@code id} named {@code name} from {@code body}, a create body
   * with its endpoints already chosen, and its image; named volumes it mounts are created, and the
   * names of the anonymous volumes made for it are added to {@code anonymous}.
   *
   * @throws EngineException when it has no command, a layer of its image is missing, a bind source
   *     is missing or cannot be created, or it mounts what the engine does not support
   */
  ContainerConfig decode(
      String id, String name, JsonNode body, ImageStore.Image image, List<String> anonymous) {
    JsonNode host = body.path("HostConfig");
    JsonNode ic = image.config().path("config");
    List<String> args = commandLine(body, ic);
    if (args.isEmpty()) {
      throw new EngineException(
          "container " + name + " has no command: the image sets none and the service gives none");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : Json.strings(ic.path("Env"))) {
      env.put(e.split("=", 2)[0], e);
    }
    for (String e : Json.strings(body.path("Env"))) {
      env.put(e.split("=", 2)[0], e);
    }
    List<Path> layers = new ArrayList<>();
    for (String d : image.diffIds()) {
      layers.add(
          images
              .layer(d)
              .orElseThrow(
                  () ->
                      new EngineException(
                          "layer "
                              + d
                              + " of image "
                              + body.path("Image").asText()
                              + " is missing: pull the image again")));
    }
    List<ContainerConfig.BindMount> mounts = new ArrayList<>();
    for (String b : Json.strings(host.path("Binds"))) {
      String[] p = b.split(":");
      boolean ro = p.length > 2 && List.of(p[2].split(",")).contains("ro");
      if (p[0].startsWith("/")) {
        Path source = Path.of(p[0]);
        try {
          Files.createDirectories(source); // -v semantics: a missing host directory is created
        } catch (IOException e) {
          throw new EngineException(
              "cannot create the bind source " + source + " of " + name + ": " + e.getMessage(), e);
        }
        mounts.add(new ContainerConfig.BindMount("bind", source, p[1], ro, false));
      } else {
        mounts.add(
            new ContainerConfig.BindMount(
                "volume", volumes.create(p[0], Map.of()).data(), p[1], ro, true));
      }
    }
    for (JsonNode m : host.path("Mounts")) {
      String type = m.path("Type").asText();
      String target = m.path("Target").asText();
      boolean ro = m.path("ReadOnly").asBoolean();
      switch (type) {
        case "bind" -> {
          Path source = Path.of(m.path("Source").asText());
          if (!Files.exists(source)) {
            throw new EngineException(
                "bind source "
                    + source
                    + " of container "
                    + name
                    + " does not exist: create it, or let the service's volume create it (create_host_path)");
          }
          mounts.add(new ContainerConfig.BindMount("bind", source, target, ro, false));
        }
        case "tmpfs" ->
            mounts.add(new ContainerConfig.BindMount("tmpfs", null, target, false, false));
        case "volume" -> {
          String named = m.path("Source").asText("");
          Volumes.Volume volume;
          if (named.isEmpty()) {
            volume = volumes.create(Json.randomId(), Map.of("com.docker.volume.anonymous", ""));
            anonymous.add(volume.name());
          } else {
            volume = volumes.create(named, Map.of());
          }
          boolean noCopy = m.path("VolumeOptions").path("NoCopy").asBoolean(false);
          mounts.add(new ContainerConfig.BindMount("volume", volume.data(), target, ro, !noCopy));
        }
        default ->
            throw new EngineException(
                "container "
                    + name
                    + " mounts a "
                    + type
                    + ", which the embedded engine does not support yet; use --engine docker for it");
      }
    }
    Map<String, String> sysctls = new LinkedHashMap<>();
    host.path("Sysctls").properties().forEach(e -> sysctls.put(e.getKey(), e.getValue().asText()));
    boolean nnp =
        Json.strings(host.path("SecurityOpt")).stream()
            .anyMatch(
                s -> s.replace('=', ':').startsWith("no-new-privileges") && !s.endsWith("false"));
    return new ContainerConfig(
        id,
        name,
        layers,
        args,
        List.copyOf(env.values()),
        Json.emptyToNull(body.path("WorkingDir").asText(ic.path("WorkingDir").asText(""))),
        Json.emptyToNull(body.path("User").asText(ic.path("User").asText(""))),
        Json.emptyToNull(body.path("Hostname").asText("")),
        attachments.networkMode(id, name, body),
        Json.strings(host.path("CapAdd")),
        Json.strings(host.path("CapDrop")),
        host.path("Privileged").asBoolean(),
        host.path("ReadonlyRootfs").asBoolean(),
        nnp,
        host.path("Memory").asLong(0) > 0 ? host.path("Memory").asLong() : null,
        host.path("NanoCpus").asLong(0) > 0 ? host.path("NanoCpus").asLong() / 1e9 : null,
        host.path("PidsLimit").asLong(0) > 0 ? host.path("PidsLimit").asLong() : null,
        host.path("ShmSize").asLong(0) > 0 ? host.path("ShmSize").asLong() : null,
        host.path("Init").asBoolean(false),
        mounts,
        sysctls,
        ulimits(host.path("Ulimits")),
        new ContainerConfig.Console(
            body.path("Tty").asBoolean(),
            body.path("OpenStdin").asBoolean(),
            body.path("StdinOnce").asBoolean()),
        NetworkAttachments.hostsEntries(id, body),
        attachments.resolvConf(body));
  }

  private static List<ContainerConfig.Ulimit> ulimits(JsonNode list) {
    List<ContainerConfig.Ulimit> out = new ArrayList<>();
    for (JsonNode u : list) {
      out.add(
          new ContainerConfig.Ulimit(
              u.path("Name").asText(), u.path("Soft").asLong(), u.path("Hard").asLong()));
    }
    return out;
  }
}
