package io.jstack.junit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.VolumeInfo;
import io.jstack.junit.StackEngine;
import io.jstack.planner.ComposeLabels;
import io.jstack.runtime.Engines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine an integration test runs stacks on, with the examples' busybox image: dockerd (the
 * image built there by examples/build-image.sh), or an embedded engine of the test's own (data root
 * and socket in the test's directory, the image loaded from dockerd's {@code docker save}), stopped
 * after the test with its networks removed first.
 */
final class OwnEngine implements AutoCloseable {
  static final String IMAGE = "jstack-examples/busybox:latest";

  final StackEngine kind;
  final Path dir;

  /** What a stack on this engine needs in its environment (the embedded engine's socket). */
  final Map<String, String> env;

  final Engine engine;

  private OwnEngine(StackEngine kind, Path dir, Map<String, String> env, Engine engine) {
    this.kind = kind;
    this.dir = dir;
    this.env = Map.copyOf(env);
    this.engine = engine;
  }

  static OwnEngine start(StackEngine kind, Path dir) throws Exception {
    run(List.of(repo().resolve("examples/build-image.sh").toString(), "docker"));
    Map<String, String> env = new HashMap<>();
    if (kind == StackEngine.EMBEDDED) {
      env.put("JSTACK_DATA_ROOT", dir.resolve("data").toString());
      env.put("JSTACK_ENGINE_SOCKET", dir.resolve("engine.sock").toString());
    }
    Map<String, String> all = new HashMap<>(System.getenv());
    all.putAll(env);
    Engine engine =
        Engines.open(kind == StackEngine.DOCKER ? Engines.Kind.docker : Engines.Kind.embedded, all);
    OwnEngine own = new OwnEngine(kind, dir, env, engine);
    if (kind == StackEngine.EMBEDDED) {
      Process save = new ProcessBuilder("docker", "save", IMAGE).start();
      try (InputStream archive = save.getInputStream()) {
        engine.loadImages(archive);
      }
      assertThat(save.waitFor()).as("docker save " + IMAGE).isZero();
    }
    return own;
  }

  /** The names of what {@code project} has on the engine: containers, networks, volumes. */
  List<String> resourcesOf(String project) {
    Map<String, String> label = Map.of(ComposeLabels.PROJECT, project);
    List<String> out = new ArrayList<>();
    engine.containers(label).stream().map(ContainerInfo::name).forEach(out::add);
    engine.networks(label).stream().map(NetworkInfo::name).forEach(out::add);
    engine.volumes(label).stream().map(VolumeInfo::name).forEach(out::add);
    return out;
  }

  /** Removes whatever {@code project} left on the engine (a test's clean-up after a failure). */
  void removeProject(String project) {
    Map<String, String> label = Map.of(ComposeLabels.PROJECT, project);
    for (ContainerInfo c : engine.containers(label)) {
      engine.removeContainer(c.id(), true, true);
    }
    engine.networks(label).forEach(n -> engine.removeNetwork(n.name()));
    engine.volumes(label).forEach(v -> engine.removeVolume(v.name()));
  }

  @Override
  public void close() throws IOException {
    try {
      if (kind == StackEngine.EMBEDDED) {
        // Networks outlive the engine; this engine's go with its data root.
        for (NetworkInfo n : engine.networks(Map.of())) {
          if (!List.of("bridge", "host", "none").contains(n.name())) {
            engine.removeNetwork(n.name());
          }
        }
      }
    } finally {
      if (engine instanceof io.jstack.engine.docker.DockerEngine c) {
        c.close();
      }
      if (kind == StackEngine.EMBEDDED) {
        stopEmbedded();
      }
    }
  }

  private void stopEmbedded() throws IOException {
    Path pidFile = dir.resolve("data/engine.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    ProcessHandle.of(pid)
        .ifPresent(
            p -> {
              p.destroy();
              try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new IllegalStateException("engine " + pid + " did not stop within 10 s", e);
              }
            });
  }

  /** Runs {@code cmd}; fails the test unless it exits 0. Returns its output. */
  static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    return out;
  }

  /** Docker's socket: DOCKER_HOST's when it names one, else the default. */
  static Path dockerSocket() {
    String host = System.getenv("DOCKER_HOST");
    return host != null && host.startsWith("unix://")
        ? Path.of(host.substring("unix://".length()))
        : Path.of("/var/run/docker.sock");
  }

  /** The repository root (Maven passes it as jstack.repo.dir). */
  static Path repo() {
    return Path.of(System.getProperty("jstack.repo.dir", "..")).toAbsolutePath().normalize();
  }

  static final Duration TIMEOUT = Duration.ofSeconds(90);
}
