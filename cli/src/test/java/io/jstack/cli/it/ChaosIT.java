package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.cli.JstackProcess;
import io.jstack.cli.JstackRunner;
import io.jstack.engine.testing.HostProcesses;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.image.LocalRegistry;
import io.jstack.engine.testing.image.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Chaos on the embedded engine: round after round, one of {@code up}, {@code down}, {@code
 * restart}, {@code image pull} and {@code build} runs as a process of its own on one of two stacks,
 * and after a seeded delay drawn across that operation's measured duration the engine, a conmon or
 * the command itself is killed ({@code SIGKILL}). After each round, once the engine has had a few
 * seconds to notice, the invariants hold:
 *
 * <ul>
 *   <li>the command ended (a kill may fail it, never hang it), and the next command works;
 *   <li>every container is running with a live process, or not running with no process (a killed
 *       conmon's container is recorded as exited, with why, or started again by its policy);
 *   <li>nothing is left without an owner: every process, mount, cgroup, namespace, veth, bridge,
 *       firewall rule and runtime state of the data root belongs to a container or network the
 *       engine lists (a running container for what only runs with one);
 *   <li>every blob in the image store has the digest it is named by.
 * </ul>
 *
 * {@code -Djstack.it.chaos.rounds=N} (CI runs {@value #CI_ROUNDS}; the full run 50 or more) and
 * {@code -Djstack.it.chaos.seed=S} (printed, so that a failing run can be repeated).
 */
class ChaosIT extends EmbeddedStackFixture {
  private static final int CI_ROUNDS = 10;
  private static final int ROUNDS = Integer.getInteger("jstack.it.chaos.rounds", CI_ROUNDS);
  private static final long SEED = Long.getLong("jstack.it.chaos.seed", System.nanoTime());

  /** How long the engine gets to notice a kill (a conmon's is looked for every second). */
  private static final Duration SETTLE = Duration.ofSeconds(20);

  enum Op {
    UP,
    DOWN,
    RESTART,
    PULL,
    BUILD;

    /** The projects it runs on: either stack; a pull on none (the web stack's flags go with it). */
    List<String> projects(String web, String built) {
      return switch (this) {
        case PULL -> List.of(web);
        case BUILD -> List.of(built);
        default -> List.of(web, built);
      };
    }
  }

  enum Target {
    ENGINE,
    CONMON,
    CLI
  }

  private static final String WEB =
      """
      services:
        front:
          image: jstack-examples/busybox:latest
          command: ["httpd", "-f", "-p", "80"]
          ports: ["80"]
          networks: [default, back]
        keeper:
          image: jstack-examples/busybox:latest
          command: ["sleep", "600"]
          restart: always
          networks: [back]
          volumes: ["data:/data"]
        host:
          image: jstack-examples/busybox:latest
          command: ["sleep", "600"]
          network_mode: host
      networks:
        back: {}
      volumes:
        data: {}
      """;

  private static final String BUILT =
      """
      services:
        app:
          build: .
          image: chaos-built:latest
          command: ["sleep", "600"]
          restart: on-failure
        peer:
          image: jstack-examples/busybox:latest
          command: ["sleep", "600"]
      """;

  private static final String DOCKERFILE =
      """
      FROM jstack-examples/busybox:latest
      RUN dd if=/dev/urandom of=/noise bs=1M count=6 2>/dev/null && sha256sum /noise > /noise.sum
      COPY files/ /files/
      RUN ls -R /files > /files.txt
      """;

  /** What one round did, for the summary. */
  private record Round(
      int n, Op op, String project, Target target, long delayMs, boolean landed, String ended) {}

  @Test
  void killsDuringOperations_leaveNothingWithoutAnOwner_andTheNextCommandWorks() throws Exception {
    System.out.println("ChaosIT: seed " + SEED + ", " + ROUNDS + " rounds");
    Random random = new Random(SEED);
    compose(WEB);
    String built = project + "-built";
    Path builtDir = Files.createDirectories(dir.resolve("built"));
    Files.writeString(builtDir.resolve("compose.yaml"), BUILT);
    Files.writeString(builtDir.resolve("Dockerfile"), DOCKERFILE);
    Path files = Files.createDirectories(builtDir.resolve("files"));
    for (int i = 0; i < 40; i++) {
      Files.write(files.resolve("f" + i), new byte[64 * 1024 + i]);
    }
    String[] builtBase = {"--engine", "embedded", "-p", built, "-f", builtDir + "/compose.yaml"};
    // The second stack goes before the fixture's clean-up, which removes the engine's networks.
    try (LocalRegistry registry = LocalRegistry.start()) {
      chaos(random, built, builtBase, registry);
    } finally {
      EngineStack.ok(jstack, builtBase, "down", "-v", "-t", "0");
    }
  }

  private void chaos(Random random, String built, String[] builtBase, LocalRegistry registry)
      throws Exception {
    String pulled = registry.host + "/chaos/big:latest";
    TestImages.ociLayout(dir.resolve("oci"), "big", 24);
    Docker.Result pushed =
        Docker.run(
            null,
            "skopeo",
            "--insecure-policy",
            "copy",
            "-q",
            "--dest-tls-verify=false",
            "oci:" + dir.resolve("oci") + ":big",
            "docker://" + pulled);
    assertThat(pushed.code()).as(pushed.err()).isZero();

    Map<String, String[]> bases = Map.of(project, base, built, builtBase);
    Chaos chaos = new Chaos(bases, pulled);

    // Each operation once, unkilled: its duration is what the kill's delay is drawn across.
    Map<String, Long> measured = new TreeMap<>();
    for (Op op : Op.values()) {
      for (String p : op.projects(project, built)) {
        chaos.ready(op, p);
        long started = System.nanoTime();
        try (JstackProcess.Running r = chaos.start(op, p)) {
          assertThat(r.waitFor(Duration.ofMinutes(3))).as(op + " ended").isTrue();
          assertThat(r.exitValue()).as(op + " on " + p + ": " + r.output()).isZero();
        }
        measured.put(op + " " + p, (System.nanoTime() - started) / 1_000_000);
      }
    }
    System.out.println("ChaosIT: measured durations (ms) " + measured);

    List<Round> rounds = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    for (int i = 1; i <= ROUNDS; i++) {
      int n = i;
      Op op = Op.values()[random.nextInt(Op.values().length)];
      List<String> projects = op.projects(project, built);
      String p = projects.get(random.nextInt(projects.size()));
      Target target = Target.values()[random.nextInt(Target.values().length)];
      long delay = (long) (random.nextDouble() * measured.get(op + " " + p));
      chaos.ready(op, p);
      boolean landed;
      String ended;
      try (JstackProcess.Running r = chaos.start(op, p)) {
        Thread.sleep(delay);
        landed = r.process().isAlive();
        chaos.kill(target, r, random);
        if (r.waitFor(Duration.ofMinutes(2))) {
          List<String> lines = r.lines();
          ended =
              "exit "
                  + r.exitValue()
                  + (r.exitValue() == 0 || lines.isEmpty()
                      ? ""
                      : ": " + lines.get(lines.size() - 1));
        } else {
          ended = "hung";
          violations.add(
              "round " + n + ": " + op + " on " + p + " hung after the kill: " + r.output());
        }
      }
      Round round = new Round(n, op, p, target, delay, landed, ended);
      rounds.add(round);
      System.out.println("ChaosIT: " + round);
      List<String> found = chaos.violations();
      found.forEach(v -> violations.add("round " + n + " (" + round + "): " + v));
      if (found.isEmpty()) {
        chaos.nextCommandWorks(op, p).forEach(v -> violations.add("round " + n + ": " + v));
      }
      if (!violations.isEmpty()) {
        break; // the state is someone's to look at, not to pile more rounds on
      }
    }
    summary(rounds);
    assertThat(violations).as("invariants broken (seed " + SEED + ")").isEmpty();
    assertThat(rounds).hasSize(ROUNDS);
    assertThat(rounds.stream().filter(Round::landed))
        .as("kills that landed mid-operation")
        .isNotEmpty();
  }

  private static void summary(List<Round> rounds) {
    Map<Target, int[]> byTarget = new EnumMap<>(Target.class);
    for (Round r : rounds) {
      int[] counts = byTarget.computeIfAbsent(r.target(), t -> new int[2]);
      counts[0]++;
      counts[1] += r.landed() ? 1 : 0;
    }
    StringBuilder b = new StringBuilder("ChaosIT: " + rounds.size() + " rounds, seed " + SEED);
    byTarget.forEach(
        (t, c) ->
            b.append("; ")
                .append(t)
                .append(' ')
                .append(c[0])
                .append(" kills, ")
                .append(c[1])
                .append(" mid-operation"));
    System.out.println(b);
  }

  /** The operations, the kills and the checks, on this test's engine. */
  private final class Chaos {
    private final Map<String, String[]> bases;
    private final String pulled;

    Chaos(Map<String, String[]> bases, String pulled) {
      this.bases = bases;
      this.pulled = pulled;
    }

    /** Makes {@code op} on {@code p} do real work: a stack to take down, an image to pull. */
    void ready(Op op, String p) {
      boolean up = !stackOk(p, "ps", "-q").out().isBlank();
      switch (op) {
        case UP -> {
          if (up) {
            stackOk(p, "down", "-t", "0");
          }
        }
        case DOWN, RESTART -> {
          if (!up) {
            stackOk(p, "up", "-d");
          }
        }
        case PULL -> jstack.run(new String[0], "image", "rm", "-f", pulled);
        case BUILD -> {}
      }
    }

    JstackProcess.Running start(Op op, String p) {
      List<String> args = new ArrayList<>(List.of(bases.get(p)));
      args.addAll(
          switch (op) {
            case UP -> List.of("up", "-d");
            case DOWN -> List.of("down", "-t", "1");
            case RESTART -> List.of("restart", "-t", "1");
            case PULL -> List.of("image", "pull", pulled);
            case BUILD -> List.of("build", "--no-cache");
          });
      return JstackProcess.start(env, args.toArray(String[]::new));
    }

    void kill(Target target, JstackProcess.Running command, Random random) throws Exception {
      switch (target) {
        case ENGINE -> {
          Path pidFile = dir.resolve("data/engine.pid");
          if (Files.exists(pidFile)) {
            // Killed means gone: a command right after must not meet the engine still dying.
            Optional<ProcessHandle> engine =
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
            engine.ifPresent(ProcessHandle::destroyForcibly);
            if (engine.isPresent()) {
              engine.get().onExit().get(30, TimeUnit.SECONDS);
            }
          }
        }
        case CONMON -> {
          List<ProcessHandle> conmons =
              ProcessHandle.allProcesses()
                  .filter(
                      h ->
                          h.info()
                              .commandLine()
                              .filter(c -> c.contains("conmon") && c.contains(dir.toString()))
                              .isPresent())
                  .toList();
          if (!conmons.isEmpty()) {
            conmons.get(random.nextInt(conmons.size())).destroyForcibly();
          }
        }
        case CLI -> command.process().destroyForcibly();
      }
    }

    /**
     * The invariants, once the engine has had {@link #SETTLE} to notice what happened; the first
     * command here starts a new engine if the last one was killed.
     */
    List<String> violations() throws Exception {
      for (String p : bases.keySet()) {
        JstackRunner.Run ps = jstack.run(bases.get(p), "ps", "-a");
        if (ps.code() != 0) {
          return List.of("ps -a of " + p + " after the kill failed: " + ps.err());
        }
      }
      long deadline = System.nanoTime() + SETTLE.toNanos();
      List<String> found;
      do {
        found = look();
        if (found.isEmpty()) {
          return found;
        }
        Thread.sleep(250);
      } while (System.nanoTime() < deadline);
      return found;
    }

    /** What breaks an invariant now. */
    private List<String> look() throws Exception {
      List<String> found = new ArrayList<>();
      Map<String, Boolean> running = new TreeMap<>(); // container id -> whether it runs
      for (JsonNode c : stack.api("/containers/json?all=1")) {
        String id = c.path("Id").asText();
        JsonNode state = stack.api("/containers/" + id + "/json").path("State");
        boolean runs = state.path("Running").asBoolean() && !state.path("Restarting").asBoolean();
        running.put(id, runs);
        long pid = state.path("Pid").asLong();
        Path cgroup = HostProcesses.containerCgroup(id);
        if (runs && !(pid > 0 && HostProcesses.runs(pid) && cgroup != null)) {
          found.add("container " + id + " is running without a process (pid " + pid + ")");
        }
        // A running container is watched: its exit will be seen and recorded (a killed conmon's
        // container is ended, with why, within the engine's next looks).
        if (runs && !HostProcesses.conmonOf(id)) {
          found.add("container " + id + " is running without its conmon");
        }
        if (!runs && cgroup != null && hasProcesses(cgroup)) {
          found.add("container " + id + " is " + state.path("Status").asText() + " with a process");
        }
      }
      Set<String> networks = new java.util.TreeSet<>();
      for (JsonNode n : stack.api("/networks")) {
        networks.add(n.path("Id").asText());
      }
      long engine = stack.enginePid();
      for (String item : NothingLeft.inventory(dir)) {
        String owner = owner(item, engine, running, networks);
        if (owner != null) {
          found.add(owner);
        }
      }
      runtimeState(running, found);
      blobs(found);
      return found;
    }

    /** Why {@code item} has no owner, or null when it has one. */
    private String owner(
        String item, long engine, Map<String, Boolean> running, Set<String> networks) {
      String[] f = item.split(" ");
      switch (f[0]) {
        case "process" -> {
          if (Long.parseLong(f[1]) == engine) {
            return null;
          }
          int cid = List.of(f).indexOf("--cid");
          if (f[2].endsWith("conmon") && cid > 0) {
            return Boolean.TRUE.equals(running.get(f[cid + 1]))
                ? null
                : "a conmon of a container that does not run: " + item;
          }
          return "a process of the data root that is neither the engine nor a conmon: " + item;
        }
        case "mount" -> {
          String point = f[1];
          if (point.equals(dir.resolve("data/run").toString())) {
            return null;
          }
          String containers = dir.resolve("data/containers") + "/";
          if (point.startsWith(containers)) {
            String id = point.substring(containers.length()).split("/")[0];
            return running.containsKey(id) ? null : "a mount of no container: " + item;
          }
          if (point.startsWith("/run/netns/jstack-")) {
            return listed(running, point.substring("/run/netns/jstack-".length()))
                ? null
                : "a network namespace of no container: " + item;
          }
          return "a mount of no one: " + item;
        }
        case "cgroup" -> {
          // A container's cgroups and runtime state stay from its start until its removal or next
          // start (so that its last run can be looked at): its process is what must not outlive
          // it, which look() checks.
          String name = f[1].substring(f[1].lastIndexOf('/') + 1);
          return running.containsKey(name) ? null : "a cgroup of no container: " + item;
        }
        case "netns" -> {
          return listed(running, f[1].substring("jstack-".length()))
              ? null
              : "a network namespace of no container: " + item;
        }
        case "link" -> {
          if (f[1].startsWith("jst-")) {
            String net = f[1].substring("jst-".length());
            return networks.stream().anyMatch(n -> n.startsWith(net))
                ? null
                : "a bridge of no network: " + item;
          }
          String prefix = f[1].substring(2, Math.min(f[1].length(), 11));
          return listed(running, prefix) ? null : "a veth of no container: " + item;
        }
        case "rule" -> {
          int at = item.indexOf("jst-");
          if (at < 0 || item.startsWith("jst-+", at)) {
            return null; // the chains every network shares
          }
          String net = item.substring(at + 4, Math.min(item.length(), at + 15));
          return networks.stream().anyMatch(n -> n.startsWith(net))
              ? null
              : "a firewall rule of no network: " + item;
        }
        default -> {
          // Files: what the test leaves outside its directory is NothingLeft's at the end.
          return null;
        }
      }
    }

    /**
     * Whether a container the engine lists, or a spare namespace it keeps, has an id starting with
     * {@code prefix}: a container on a bridge keeps its namespace, and the veth in it, from its
     * create to its removal, so that a restart keeps its address (conmon or not).
     */
    private boolean listed(Map<String, Boolean> running, String prefix) {
      return running.keySet().stream().anyMatch(id -> id.startsWith(prefix))
          || spares().stream().anyMatch(id -> id.startsWith(prefix));
    }

    /**
     * The spare namespaces the engine keeps plugged for the next container on the default network
     * (each named by the id of the container it is made for), which are the engine's own.
     */
    private List<String> spares() {
      try (Stream<Path> all = Files.list(dir.resolve("data/run/spare-netns"))) {
        return all.map(p -> p.getFileName().toString()).toList();
      } catch (IOException none) {
        return List.of();
      }
    }

    /**
     * The runtime's state and the containers' directories: each is of a container the engine lists.
     */
    private void runtimeState(Map<String, Boolean> running, List<String> found) throws IOException {
      Path runtimes = dir.resolve("data/run/runtime");
      if (Files.isDirectory(runtimes)) {
        try (Stream<Path> all = Files.list(runtimes)) {
          for (Path runtime : all.toList()) {
            try (Stream<Path> states = Files.list(runtime)) {
              for (Path s : states.filter(Files::isDirectory).toList()) {
                String id = s.getFileName().toString();
                if (!running.containsKey(id)) {
                  found.add("runtime state of no container: " + s);
                }
              }
            }
          }
        }
      }
      for (String kind : List.of("data/containers", "data/run/containers")) {
        Path containers = dir.resolve(kind);
        if (!Files.isDirectory(containers)) {
          continue;
        }
        try (Stream<Path> all = Files.list(containers)) {
          for (Path c : all.toList()) {
            if (!running.containsKey(c.getFileName().toString())) {
              found.add("a container directory of no container: " + c);
            }
          }
        }
      }
    }

    /** Every blob has the digest it is named by. */
    private void blobs(List<String> found) throws IOException {
      Path blobs = dir.resolve("data/images/blobs/sha256");
      if (!Files.isDirectory(blobs)) {
        return;
      }
      try (Stream<Path> all = Files.list(blobs)) {
        for (Path b : all.toList()) {
          MessageDigest md;
          try {
            md = MessageDigest.getInstance("SHA-256");
          } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
          try (InputStream in = new DigestInputStream(Files.newInputStream(b), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
          } catch (java.nio.file.NoSuchFileException gone) {
            continue; // collected meanwhile
          }
          String sum = HexFormat.of().formatHex(md.digest());
          if (!sum.equals(b.getFileName().toString())) {
            found.add("blob " + b.getFileName() + " has digest sha256:" + sum);
          }
        }
      }
    }

    /** The command after the round's does its job whole; what went wrong, if anything. */
    List<String> nextCommandWorks(Op op, String p) throws Exception {
      List<String> wrong = new ArrayList<>();
      if (op == Op.PULL) {
        JstackRunner.Run pull = jstack.run(new String[0], "image", "pull", pulled);
        if (pull.code() != 0) {
          wrong.add("the next pull failed: " + pull.err());
        }
        return wrong;
      }
      JstackRunner.Run up = jstack.run(bases.get(p), "up", "-d");
      if (up.code() != 0) {
        wrong.add("the next up -d of " + p + " failed: " + up.err());
        return wrong;
      }
      for (String line :
          stackOk(p, "ps", "-a", "--format", "{{.Name}} {{.State}}").out().lines().toList()) {
        if (!line.endsWith(" running")) {
          wrong.add("after the next up -d of " + p + ": " + line);
        }
      }
      return wrong;
    }

    private JstackRunner.Run stackOk(String p, String... args) {
      return EngineStack.ok(jstack, bases.get(p), args);
    }
  }

  /** Whether cgroup directory {@code cgroup} lists a live process. */
  private static boolean hasProcesses(Path cgroup) {
    try {
      for (String pid : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
        if (!pid.isBlank() && HostProcesses.runs(Long.parseLong(pid.strip()))) {
          return true;
        }
      }
      return false;
    } catch (IOException gone) {
      return false;
    }
  }
}
