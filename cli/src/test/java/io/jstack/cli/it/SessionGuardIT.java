package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.docker.DockerEngine;
import io.jstack.engine.session.ProjectRemoval;
import io.jstack.engine.session.SessionGuard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Crash safety of stacks started by a test JVM ({@link SessionGuard}), on each engine: test JVMs in
 * miniature ({@link GuardedStack}, each a JVM of its own) bring up a busybox stack (a running
 * container with a named and an anonymous volume, an exited one, the project's network) under a
 * guard. {@code kill -9} of one removes its stack within 15 s while another's stays; a clean
 * release and close removes nothing; what a dead owner left while nothing watched is swept by the
 * next start (a guard on dockerd, the engine itself on the embedded one). On the embedded engine
 * {@link EngineStack} checks that nothing is left on the host; on dockerd each test checks that no
 * record, watchdog or child JVM of its own is left.
 */
class SessionGuardIT {
  static final Duration WITHIN = Duration.ofSeconds(15);

  static final String COMPOSE =
      """
      services:
        app:
          image: jstack-examples/busybox:latest
          command: ["sleep", "3600"]
          volumes: ["data:/data", "/scratch"]
        once:
          image: jstack-examples/busybox:latest
          command: ["true"]
      volumes:
        data: {}
      """;

  @TempDir Path dir;

  final String id = UUID.randomUUID().toString().substring(0, 6);
  EngineStack stack;
  DockerEngine engine;
  EngineAddress address;
  final List<Process> children = new ArrayList<>();
  final Set<String> projects = new TreeSet<>();

  @BeforeAll
  static void image() {
    Docker.requireExampleImage();
  }

  void on(EngineKind kind) throws Exception {
    stack = EngineStack.on(kind, dir, "guard-it-" + id);
    Files.writeString(dir.resolve("compose.yaml"), COMPOSE);
    // The embedded engine starts with the first command that needs it.
    stack.ok("ps");
    address = new EngineAddress.Unix(stack.socket());
    engine = DockerEngine.connect(address);
  }

  @AfterEach
  void cleanUp() throws Exception {
    List<Throwable> failures = new ArrayList<>();
    for (Process p : children) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (engine != null) {
      for (String p : projects) {
        try {
          ProjectRemoval.remove(engine, p);
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }
      engine.close();
    }
    if (stack != null) {
      stack.close();
    }
    assertThat(failures).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void killNine_removesItsStackWithin15s_andAParallelJvmsStackStays(EngineKind kind)
      throws Exception {
    on(kind);
    Child a = start("killed");
    Child b = start("parallel");
    a.ready(kind);
    b.ready(kind);
    Stack sa = stackOf(a.project);
    Stack sb = stackOf(b.project);
    sa.assertComplete();
    sb.assertComplete();

    if (kind == EngineKind.DOCKER) {
      assertSettled(a.watchdog(), a.process.toHandle());
    }
    Instant killed = Instant.now();
    kill9(a.process);
    Awaitility.await()
        .atMost(WITHIN)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(leftOf(a.project, sa.anonymous)).isEqualTo(none()));
    System.out.println(
        kind + ": killed JVM's stack gone after " + Duration.between(killed, Instant.now()));
    // As the docker CLI sees it too.
    String label = "label=" + ProjectRemoval.PROJECT_LABEL + "=" + a.project;
    assertThat(stack.dockerLines("ps", "-aq", "--filter", label)).isEmpty();
    assertThat(stack.dockerLines("network", "ls", "-q", "--filter", label)).isEmpty();
    assertThat(stack.dockerLines("volume", "ls", "-q", "--filter", label)).isEmpty();

    // The other JVM's stack is as it was: the same containers, the app still running.
    Stack after = stackOf(b.project);
    assertThat(after).isEqualTo(sb);
    assertThat(engine.container(b.project + "-app-1").orElseThrow().isRunning()).isTrue();

    // Cleaned by its owner (down -v, release, close): nothing left, and the host exits.
    b.command("down");
    assertThat(leftOf(b.project, sb.anonymous)).isEqualTo(none());
    assertSessionsEnd(kind);
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void releaseAndClose_removeNothing_evenAfterTheOwnerExits(EngineKind kind) throws Exception {
    on(kind);
    Child c = start("kept");
    c.ready(kind);
    Stack before = stackOf(c.project);
    before.assertComplete();
    c.command("keep");
    // Twice the children's grace after its owner is gone, the kept stack is whole.
    Thread.sleep(4_000);
    assertThat(stackOf(c.project)).isEqualTo(before);
    assertSessionsEnd(kind);

    // Removed by its name alone: the anonymous volume goes with its container (rm -v).
    ProjectRemoval.Removed removed = ProjectRemoval.remove(engine, c.project);
    assertThat(removed.containers())
        .containsExactlyInAnyOrder(c.project + "-app-1", c.project + "-once-1");
    assertThat(removed.networks()).containsExactly(c.project + "_default");
    assertThat(removed.volumes()).contains(c.project + "_data");
    assertThat(leftOf(c.project, before.anonymous)).isEqualTo(none());
    assertThat(ProjectRemoval.remove(engine, c.project).isEmpty()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void aDeadOwnersStack_nobodyWatched_isSweptByTheNextStart(EngineKind kind) throws Exception {
    on(kind);
    Child d = start("orphaned");
    d.ready(kind);
    Stack left = stackOf(d.project);
    left.assertComplete();
    if (kind == EngineKind.DOCKER) {
      // The watchdog dies first, then its JVM: the record is all that is left.
      kill9(d.watchdog());
      kill9(d.process);
      Thread.sleep(4_000);
      assertThat(stackOf(d.project)).isEqualTo(left);
      assertThat(records()).hasSize(1);
      // The next guard's watchdog sweeps it.
      System.setProperty(SessionGuard.RECORDS_PROPERTY, dir.resolve("records").toString());
      try (SessionGuard next = SessionGuard.open(address, Duration.ofSeconds(1))) {
        assertThat(next.embedded()).isFalse();
        Awaitility.await()
            .atMost(WITHIN)
            .untilAsserted(() -> assertThat(leftOf(d.project, left.anonymous)).isEqualTo(none()));
      } finally {
        System.clearProperty(SessionGuard.RECORDS_PROPERTY);
      }
    } else {
      // The engine dies first (its containers run on), then the JVM; the next engine sweeps.
      stack.killTheEngine();
      kill9(d.process);
      assertThat(records()).hasSize(1);
      engine.close();
      stack.ok("ps");
      engine = DockerEngine.connect(address);
      Awaitility.await()
          .atMost(WITHIN)
          .untilAsserted(() -> assertThat(leftOf(d.project, left.anonymous)).isEqualTo(none()));
    }
    assertSessionsEnd(kind);
  }

  @org.junit.jupiter.api.Test
  void anEngineRestart_underALiveJvm_theGuardTakesItsSessionUpAgain() throws Exception {
    on(EngineKind.EMBEDDED);
    Child e = start("resumed");
    e.ready(EngineKind.EMBEDDED);
    Stack before = stackOf(e.project);
    before.assertComplete();
    List<Path> record = records();
    assertThat(record).hasSize(1);

    // The engine dies under the live JVM; the next command starts another.
    Path log = dir.resolve("data/engine.log");
    long logged = Files.size(log);
    stack.killTheEngine();
    engine.close();
    stack.ok("ps");
    engine = DockerEngine.connect(address);
    // The guard comes back to the new engine on its own, with the same session.
    String connected = "client pid " + e.process.pid() + " ";
    Awaitility.await()
        .atMost(WITHIN)
        .untilAsserted(
            () -> assertThat(Files.readString(log).substring((int) logged)).contains(connected));
    assertThat(records()).isEqualTo(record);
    assertThat(stackOf(e.project)).isEqualTo(before);

    // So its death is noticed by the new engine.
    kill9(e.process);
    Awaitility.await()
        .atMost(WITHIN)
        .untilAsserted(() -> assertThat(leftOf(e.project, before.anonymous)).isEqualTo(none()));
    assertSessionsEnd(EngineKind.EMBEDDED);
  }

  // ------------------------------------------------------------------ the children

  /** A {@link GuardedStack} JVM and its project. */
  final class Child {
    final String project;
    final Process process;
    final BufferedReader out;

    Child(String project, Process process) {
      this.project = project;
      this.process = process;
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Waits until its stack is up, and checks which host holds its session. */
    void ready(EngineKind kind) throws Exception {
      assertThat(line(Duration.ofSeconds(90)))
          .isEqualTo("ready " + (kind == EngineKind.EMBEDDED ? "engine" : "watchdog"));
    }

    /** Sends {@code command} and waits until it is done and the JVM has exited 0. */
    void command(String command) throws Exception {
      process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
      assertThat(line(Duration.ofSeconds(60))).isEqualTo("done");
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
    }

    private String line(Duration timeout) throws Exception {
      CompletableFuture<String> next = CompletableFuture.supplyAsync(this::readLine);
      try {
        return next.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError(project + "'s JVM said nothing for " + timeout, e);
      }
    }

    private String readLine() {
      try {
        String l = out.readLine();
        if (l == null) {
          throw new AssertionError(
              project + "'s JVM ended (exit " + process.waitFor() + "), see " + log());
        }
        return l;
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    /** Its watchdog (dockerd): its only descendant. */
    ProcessHandle watchdog() {
      List<ProcessHandle> all = process.descendants().toList();
      assertThat(all).as(project + "'s watchdog").hasSize(1);
      return all.get(0);
    }

    Path log() {
      return dir.resolve(project + ".log");
    }
  }

  /** Starts a {@link GuardedStack} JVM for project {@code guard-it-ID-NAME}. */
  Child start(String name) throws IOException {
    String project = "guard-it-" + id + "-" + name;
    projects.add(project);
    // Started as a shell would start a test JVM: in a directory of its own, with umask 077.
    Path cwd = Files.createDirectories(dir.resolve("cwd-" + name));
    ProcessBuilder pb =
        new ProcessBuilder(
            "/bin/sh",
            "-c",
            "umask 077 && exec \"$@\"",
            "sh",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC",
            "-D" + SessionGuard.RECORDS_PROPERTY + "=" + dir.resolve("records"),
            "-cp",
            System.getProperty("java.class.path"),
            GuardedStack.class.getName(),
            address.toString(),
            project,
            dir.resolve("compose.yaml").toString());
    pb.directory(cwd.toFile()).redirectError(dir.resolve(project + ".log").toFile());
    Child c = new Child(project, pb.start());
    children.add(c.process);
    return c;
  }

  /**
   * The watchdog depends on nothing of its JVM's but its pipe: it works in {@code /} with umask 022
   * (the JVM: its own directory, 077), in a session of its own (no terminal's signals reach it).
   */
  static void assertSettled(ProcessHandle watchdog, ProcessHandle jvm) throws IOException {
    assertThat(Files.readSymbolicLink(Path.of("/proc", "" + watchdog.pid(), "cwd")))
        .isEqualTo(Path.of("/"));
    assertThat(status(watchdog, "Umask")).isEqualTo("0022");
    assertThat(status(jvm, "Umask")).isEqualTo("0077");
    assertThat(sessionId(watchdog)).isEqualTo(watchdog.pid()).isNotEqualTo(sessionId(jvm));
  }

  private static String status(ProcessHandle p, String field) throws IOException {
    return Files.readAllLines(Path.of("/proc", "" + p.pid(), "status")).stream()
        .filter(l -> l.startsWith(field + ":"))
        .map(l -> l.substring(field.length() + 1).strip())
        .findFirst()
        .orElseThrow();
  }

  /** Field 6 of /proc/PID/stat (after the command in parentheses, which may hold spaces). */
  private static long sessionId(ProcessHandle p) throws IOException {
    String stat = Files.readString(Path.of("/proc", "" + p.pid(), "stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
  }

  static void kill9(Process p) {
    kill9(p.toHandle());
  }

  static void kill9(ProcessHandle p) {
    p.destroyForcibly();
    p.onExit().join();
  }

  /** The session records left: the watchdogs' (dockerd) or the engine's (embedded). */
  List<Path> records() throws IOException {
    Path where =
        stack.engine == EngineKind.DOCKER ? dir.resolve("records") : dir.resolve("data/sessions");
    if (!Files.isDirectory(where)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(where)) {
      return files.filter(f -> f.toString().endsWith(".session")).toList();
    }
  }

  /** Every session ended: no record left, and on dockerd no watchdog running. */
  void assertSessionsEnd(EngineKind kind) throws IOException {
    Awaitility.await().atMost(WITHIN).untilAsserted(() -> assertThat(records()).isEmpty());
    if (kind == EngineKind.DOCKER) {
      Awaitility.await()
          .atMost(WITHIN)
          .untilAsserted(
              () ->
                  assertThat(
                          ProcessHandle.allProcesses()
                              .filter(
                                  p ->
                                      p.info()
                                          .arguments()
                                          .map(a -> String.join(" ", a).contains(dir.toString()))
                                          .orElse(false))
                              .filter(p -> p.info().command().orElse("").endsWith("java"))
                              .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                              .toList())
                      .as("watchdogs and children still running")
                      .isEmpty());
    }
  }

  // ------------------------------------------------------------------ what an engine has

  /** What the engine has of a project, by name (and the anonymous volumes its containers mount). */
  record Stack(
      Set<String> containers, Set<String> networks, Set<String> volumes, Set<String> anonymous) {
    void assertComplete() {
      assertThat(containers).hasSize(2);
      assertThat(networks).hasSize(1);
      assertThat(volumes).hasSize(1);
      assertThat(anonymous).hasSize(1);
    }
  }

  static Stack none() {
    return new Stack(Set.of(), Set.of(), Set.of(), Set.of());
  }

  /**
   * What the engine has of {@code project}, its anonymous volumes including those of {@code
   * anonymous} (names seen before) that the engine still has.
   */
  Stack leftOf(String project, Set<String> anonymous) {
    Stack now = stackOf(project);
    Set<String> all = new TreeSet<>(now.anonymous());
    anonymous.stream().filter(v -> engine.volume(v).isPresent()).forEach(all::add);
    return new Stack(now.containers(), now.networks(), now.volumes(), all);
  }

  Stack stackOf(String project) {
    Map<String, String> label = Map.of(ProjectRemoval.PROJECT_LABEL, project);
    Set<String> containers = new TreeSet<>();
    Set<String> anonymous = new TreeSet<>();
    for (ContainerInfo c : engine.containers(label)) {
      containers.add(c.name() + " " + c.id());
      c.mounts().stream()
          .filter(ContainerInfo.Mount::engineNamedVolume)
          .forEach(m -> anonymous.add(m.name()));
    }
    Set<String> networks = new TreeSet<>();
    engine.networks(label).stream().map(NetworkInfo::name).forEach(networks::add);
    Set<String> volumes = new TreeSet<>();
    engine.volumes(label).stream().map(VolumeInfo::name).forEach(volumes::add);
    return new Stack(containers, networks, volumes, anonymous);
  }
}
