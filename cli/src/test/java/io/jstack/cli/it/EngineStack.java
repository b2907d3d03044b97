package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.cli.JstackProcess;
import io.jstack.cli.JstackRunner;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.runtime.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compose project on one engine, for one test: what a scenario that holds on both engines needs
 * to run on either ({@code @ParameterizedTest @EnumSource(EngineKind.class)}), and to check what it
 * did through the engine's Docker API (the docker CLI, or curl on the socket) rather than jstack.
 *
 * <p>On dockerd the project's containers, networks, volumes and lock file are removed after the
 * test. On the embedded engine the stack has a data root and engine socket of its own (in the
 * test's directory) with the examples' busybox image loaded into its store (dockerd only supplies
 * it, through docker save); after the test come {@code down}, the removal of the engine's networks
 * and the engine's stop, each of which must succeed, and then {@link NothingLeft} checks that the
 * host is as the test found it. Either way the examples' image must be built on dockerd first
 * ({@link Docker#requireExampleImage}).
 */
final class EngineStack implements AutoCloseable {
  final EngineKind engine;
  final Path dir;
  final String project;
  final Path composeFile;
  final Map<String, String> env;
  final JstackRunner jstack;
  final String[] base;

  /** On the embedded engine, the check that the host is as the test found it; else null. */
  private NothingLeft nothingLeft;

  private boolean closed;

  private final List<AutoCloseable> onClose = new ArrayList<>();

  private EngineStack(
      EngineKind engine, Path dir, String project, Path composeFile, Map<String, String> env) {
    this.engine = engine;
    this.dir = dir;
    this.project = project;
    this.composeFile = composeFile;
    this.env = Map.copyOf(env);
    this.jstack = new JstackRunner(this.env);
    this.base =
        new String[] {"--engine", engine.flag(), "-p", project, "-f", composeFile.toString()};
  }

  /** {@code project} on {@code engine} with its compose file at {@code dir/compose.yaml}. */
  static EngineStack on(EngineKind engine, Path dir, String project) throws Exception {
    return on(engine, dir, project, dir.resolve("compose.yaml"), Map.of());
  }

  /**
   * {@code project} on {@code engine}, working in {@code dir} (the test's own), with its compose
   * file at {@code composeFile} and {@code extraEnv} in jstack's environment.
   */
  static EngineStack on(
      EngineKind engine, Path dir, String project, Path composeFile, Map<String, String> extraEnv)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    if (engine == EngineKind.DOCKER) {
      Docker.requireEngine();
      env.put("PATH", System.getenv("PATH"));
      env.put("HOME", System.getProperty("user.home"));
    } else {
      env.put("JSTACK_DATA_ROOT", dir.resolve("data").toString());
      env.put("JSTACK_ENGINE_SOCKET", dir.resolve("engine.sock").toString());
    }
    env.putAll(extraEnv);
    EngineStack stack = new EngineStack(engine, dir, project, composeFile, env);
    if (engine == EngineKind.EMBEDDED) {
      // Only the embedded engine makes what NothingLeft looks for (on dockerd it would only see
      // what others running tests on this host make). It reads nothing from the context.
      stack.nothingLeft = NothingLeft.under(() -> dir);
      stack.nothingLeft.beforeEach(null);
      try {
        stack.loadTheExampleImage();
      } catch (RuntimeException | Error e) {
        // The load may have started an engine: the test that failed here does not close it.
        try {
          stack.close();
        } catch (IOException | RuntimeException | Error also) {
          e.addSuppressed(also);
        }
        throw e;
      }
    }
    return stack;
  }

  private void loadTheExampleImage() {
    JstackRunner.Run loaded =
        jstack.run(new String[0], "image", "load", "-i", exampleImageArchive().toString());
    assertThat(loaded.code()).as(loaded.err()).isZero();
  }

  /** The examples' busybox image as dockerd saves it, in the test's directory. */
  private Path exampleImageArchive() {
    Path archive = dir.resolve("busybox.tar");
    if (!Files.exists(archive)) {
      Docker.Result saved =
          Docker.run(
              null, "docker", "save", "-o", archive.toString(), "jstack-examples/busybox:latest");
      assertThat(saved.code()).as(saved.err()).isZero();
    }
    return archive;
  }

  /**
   * Pushes the examples' busybox image (with skopeo, from its docker save archive) as {@code
   * image}.
   */
  void push(String image) {
    Docker.Result pushed =
        Docker.run(
            null,
            "skopeo",
            "--insecure-policy",
            "copy",
            "-q",
            "--dest-tls-verify=false",
            "docker-archive:" + exampleImageArchive(),
            "docker://" + image);
    assertThat(pushed.code()).as(pushed.err()).isZero();
  }

  /** Writes the stack's compose file. */
  void compose(String yaml) throws Exception {
    Files.writeString(composeFile, yaml);
  }

  /** Runs {@code args} on the stack. */
  JstackRunner.Run run(String... args) {
    return jstack.run(base, args);
  }

  /** Runs {@code args} on the stack; fails the test unless it exits 0. */
  JstackRunner.Run ok(String... args) {
    return ok(jstack, base, args);
  }

  /** Runs {@code base} and {@code args} with {@code jstack}; fails the test unless it exits 0. */
  static JstackRunner.Run ok(JstackRunner jstack, String[] base, String... args) {
    JstackRunner.Run r = jstack.run(base, args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  /** Starts {@code jstack ARGS} on the stack as a process of its own (a test closes it). */
  JstackProcess.Running start(String... args) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(List.of(args));
    return JstackProcess.start(env, all.toArray(String[]::new));
  }

  /** The pid of the embedded engine that serves the stack now (its data root's engine.pid). */
  long enginePid() throws IOException {
    return Long.parseLong(Files.readString(dir.resolve("data/engine.pid")).strip());
  }

  /**
   * Kills the embedded engine (SIGKILL) and waits until it has ended (the containers, held by
   * conmon, run on); the next command starts a new one. Returns the killed engine's pid.
   */
  long killTheEngine() throws Exception {
    long pid = enginePid();
    ProcessHandle engine = ProcessHandle.of(pid).orElseThrow();
    engine.destroyForcibly();
    engine.onExit().get();
    return pid;
  }

  /** The socket of the engine's Docker API. */
  Path socket() {
    if (engine == EngineKind.EMBEDDED) {
      return dir.resolve("engine.sock");
    }
    String host = System.getenv("DOCKER_HOST");
    return host != null && host.startsWith("unix://")
        ? Path.of(host.substring("unix://".length()))
        : Path.of("/var/run/docker.sock");
  }

  /** {@code docker ARGS} against this engine. */
  Docker.Result docker(String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    if (engine == EngineKind.EMBEDDED) {
      cmd.addAll(List.of("-H", "unix://" + socket()));
    }
    cmd.addAll(List.of(args));
    return Docker.run(null, cmd.toArray(String[]::new));
  }

  /** {@code docker ARGS} against this engine, which must succeed; its output lines. */
  List<String> dockerLines(String... args) {
    Docker.Result r = docker(args);
    assertThat(r.code()).as("docker " + String.join(" ", args) + ": " + r.err()).isZero();
    return r.out().lines().filter(l -> !l.isBlank()).toList();
  }

  /** The ids of the project's containers, with {@code -a} also those that do not run. */
  List<String> containerIds(String... flags) {
    List<String> args = new ArrayList<>(List.of("ps", "-q"));
    args.addAll(List.of(flags));
    args.addAll(List.of("--filter", "label=com.docker.compose.project=" + project));
    return dockerLines(args.toArray(String[]::new));
  }

  /** What a Docker API answered: its HTTP status and its body. */
  record ApiAnswer(int status, String body) {}

  /**
   * {@code method path} of the Docker API on {@code socket}, the path sent as written (no {@code
   * ..} folded), with a JSON body or none; fails the test when nothing answers.
   */
  static ApiAnswer call(Path socket, String method, String path, String json) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "curl",
                "-sS",
                "--path-as-is",
                "-X",
                method,
                "--unix-socket",
                socket.toString(),
                "-w",
                "\n%{http_code}"));
    if (json != null) {
      cmd.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", json));
    }
    cmd.add("http://engine" + path);
    Docker.Result r = Docker.run(null, cmd.toArray(String[]::new));
    assertThat(r.code()).as(method + " " + path + ": " + r.err()).isZero();
    int cut = r.out().lastIndexOf('\n');
    return new ApiAnswer(
        Integer.parseInt(r.out().substring(cut + 1).strip()), r.out().substring(0, cut).strip());
  }

  /** {@code GET path} of the engine's Docker API, as JSON. */
  JsonNode api(String path) throws IOException {
    return new ObjectMapper().readTree(call(socket(), "GET", path, null).body());
  }

  /**
   * {@code method path} of the engine's Docker API with a JSON body (or none); what it answered.
   */
  String apiCall(String method, String path, String json) {
    return call(socket(), method, path, json).body();
  }

  /** Docker's inspect of the stack's container for {@code service}. */
  JsonNode inspect(String service) throws Exception {
    return api("/containers/" + project + "-" + service + "-1/json");
  }

  /**
   * Has {@code step} run when the stack closes: after its project is removed, before the check that
   * nothing is left (steps run in the reverse order of these calls).
   */
  void onClose(AutoCloseable step) {
    onClose.add(0, step);
  }

  /**
   * Removes what the test left (see the class comment), runs the steps given to {@link #onClose},
   * and on the embedded engine then checks that the host is as the test found it. Every part runs
   * even when one before it failed; the first failure is thrown, the others suppressed in it.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    List<Exception> failures = new ArrayList<>();
    List<Error> errors = new ArrayList<>();
    List<AutoCloseable> steps = new ArrayList<>();
    steps.add(engine == EngineKind.DOCKER ? () -> Docker.removeProject(project) : this::takeDown);
    steps.addAll(onClose);
    if (nothingLeft != null) {
      steps.add(this::checkNothingLeft);
      steps.add(this::endStrayEngines);
    }
    for (AutoCloseable step : steps) {
      try {
        step.close();
      } catch (Exception e) {
        failures.add(e);
      } catch (Error e) {
        errors.add(e);
      }
    }
    List<Throwable> all = new ArrayList<>(errors);
    all.addAll(failures);
    if (all.isEmpty()) {
      return;
    }
    Throwable first = all.get(0);
    all.subList(1, all.size()).forEach(first::addSuppressed);
    if (first instanceof Error e) {
      throw e;
    }
    if (first instanceof IOException e) {
      throw e;
    }
    if (first instanceof RuntimeException e) {
      throw e;
    }
    throw new IllegalStateException("the stack's clean-up failed", first);
  }

  private void checkNothingLeft() {
    try {
      nothingLeft.afterEach(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking that nothing is left", e);
    }
  }

  /**
   * Kills an engine of this stack's data root that is still there after the clean-up (one that a
   * step after {@link #takeDown} started again): the check before has failed the test for it, and
   * it must not outlive the test with its directory deleted under it.
   */
  private void endStrayEngines() {
    String root = "--data-root " + dir.resolve("data") + " ";
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> (c + " ").contains(root)).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
  }

  private void takeDown() throws IOException {
    List<String> failed = new ArrayList<>();
    // A test that wrote no compose file has no stack to take down.
    if (Files.exists(composeFile)) {
      JstackRunner.Run down = jstack.run(base, "down", "-t", "1");
      if (down.code() != 0) {
        failed.add("down exited " + down.code() + ": " + down.err().strip());
      }
    }
    // Networks outlive the engine (Docker's do too); this engine's go with its data root.
    if (Engines.answers(socket())) {
      for (JsonNode n : api("/networks")) {
        String id = n.path("Id").asText();
        try {
          ApiAnswer deleted = call(socket(), "DELETE", "/networks/" + id, null);
          if (deleted.status() / 100 != 2) {
            failed.add("DELETE /networks/" + id + " answered " + deleted);
          }
        } catch (AssertionError noAnswer) {
          failed.add("DELETE /networks/" + id + ": " + noAnswer.getMessage());
        }
      }
    }
    JstackRunner.Run stop = jstack.run(new String[0], "engine", "stop");
    if (stop.code() != 0) {
      failed.add("engine stop exited " + stop.code() + ": " + stop.err().strip());
    }
    assertThat(failed).as("the stack's clean-up").isEmpty();
  }
}
