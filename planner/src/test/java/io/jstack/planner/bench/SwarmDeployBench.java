package io.jstack.planner.bench;

import io.jstack.engine.EngineAddress;
import io.jstack.engine.docker.DockerSwarm;
import io.jstack.engine.testing.swarm.SwarmRig;
import io.jstack.planner.swarm.SwarmSpecs;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Benchmark of deploying a stack on a real two-node Swarm ({@link SwarmRig}): {@code jstack
 * --engine swarm up} against {@code docker stack deploy --resolve-image never} on the same manager,
 * alternating, each timed from the command's start until every task of every service of the stack
 * runs, by the same poller for both (the manager's service list with its task counts, every 100 ms
 * once the command has returned); and {@code jstack up --wait} as a whole process, which waits by
 * itself (polling every 250 ms). Between runs the stack is removed, untimed, until no service,
 * container or network of it is left on either node, so that each run starts from nothing. One
 * round of each stack goes first as a warm-up, not counted. Run it through {@code
 * bench/swarm-deploy.sh}: {@code SwarmDeployBench WORK JSTACK DOCKER ROUNDS NAME:SERVICES:FILE...}.
 */
public final class SwarmDeployBench {
  static final String IMAGE = "jstack-examples/busybox:latest";
  static final Duration POLL = Duration.ofMillis(100);
  static final Duration LIMIT = Duration.ofMinutes(5);

  static final String JSTACK_UP = "jstack up";
  static final String DOCKER_DEPLOY = "docker stack deploy";
  static final String JSTACK_WAIT = "jstack up --wait";

  /** A stack to deploy: its name, how many services its Compose file has, and the file. */
  record Stack(String name, int services, Path file) {
    static Stack parse(String arg) {
      String[] f = arg.split(":", 3);
      if (f.length != 3) {
        throw new IllegalArgumentException("not NAME:SERVICES:FILE: " + arg);
      }
      return new Stack(f[0], Integer.parseInt(f[1]), Path.of(f[2]));
    }
  }

  /** A run: when its command returned, and when every task ran (ms from the command's start). */
  record Timing(long command, long running) {}

  /** The bench failed: a command failed, or did not have its effect. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  private final SwarmRig rig;
  private final DockerSwarm swarm;
  private final Path work;
  private final Path jstack;
  private final String docker;

  private SwarmDeployBench(SwarmRig rig, DockerSwarm swarm, Path work, Path jstack, String docker) {
    this.rig = rig;
    this.swarm = swarm;
    this.work = work;
    this.jstack = jstack;
    this.docker = docker;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println(
          "usage: SwarmDeployBench WORK JSTACK DOCKER ROUNDS NAME:SERVICES:FILE [NAME:SERVICES:FILE...]");
      System.exit(2);
    }
    Path work = Path.of(args[0]);
    Path jstack = Path.of(args[1]);
    String docker = args[2];
    int rounds = Integer.parseInt(args[3]);
    if (rounds < 1) {
      System.err.println("SwarmDeployBench: ROUNDS must be 1 or more, not " + rounds);
      System.exit(2);
    }
    List<Stack> stacks = Arrays.stream(args, 4, args.length).map(Stack::parse).toList();

    System.out.println("starting the two-node swarm (not timed)");
    SwarmRig rig = SwarmRig.start(List.of(IMAGE));
    Closer closer = new Closer(rig);
    // Ctrl-C: the JVM runs its hooks and no finally, so the rig goes in a hook too (once).
    Runtime.getRuntime().addShutdownHook(new Thread(closer::close, "swarm-rig-close"));
    int code = 1;
    try (DockerSwarm swarm = DockerSwarm.connect(EngineAddress.parse(rig.manager().dockerHost()))) {
      new SwarmDeployBench(rig, swarm, work, jstack, docker).run(rounds, stacks);
      code = 0;
    } catch (Failure e) {
      System.err.println("bench: " + e.getMessage());
    } finally {
      closer.close();
    }
    System.exit(code);
  }

  /** Closes the rig once, from the main thread or the shutdown hook, whichever comes first. */
  private static final class Closer {
    private final SwarmRig rig;
    private boolean closed;

    Closer(SwarmRig rig) {
      this.rig = rig;
    }

    synchronized void close() {
      if (!closed) {
        closed = true;
        System.out.println("removing the swarm (not timed)");
        rig.close();
      }
    }
  }

  private void run(int rounds, List<Stack> stacks) throws IOException, InterruptedException {
    facts();
    for (Stack s : stacks) {
      Map<String, List<Long>> running = new LinkedHashMap<>();
      Map<String, List<Long>> returned = new LinkedHashMap<>();
      for (String tool : List.of(JSTACK_UP, DOCKER_DEPLOY, JSTACK_WAIT)) {
        running.put(tool, new ArrayList<>());
        returned.put(tool, new ArrayList<>());
      }
      for (int r = 0; r <= rounds; r++) {
        System.out.printf(
            "%s: %s%n", s.name(), r == 0 ? "warm-up round (not counted)" : "round " + r);
        Timing up = deploy(s, JSTACK_UP, jstack(s, "up"));
        remove(s);
        Timing deploy = deploy(s, DOCKER_DEPLOY, dockerDeploy(s));
        remove(s);
        Timing waited = whole(s, jstack(s, "up", "--wait"));
        remove(s);
        if (r > 0) {
          add(running, returned, JSTACK_UP, up);
          add(running, returned, DOCKER_DEPLOY, deploy);
          add(running, returned, JSTACK_WAIT, waited);
        }
      }
      report(s, rounds, running, returned);
    }
  }

  private static void add(
      Map<String, List<Long>> running, Map<String, List<Long>> returned, String tool, Timing t) {
    running.get(tool).add(t.running());
    returned.get(tool).add(t.command());
  }

  private void report(
      Stack s, int rounds, Map<String, List<Long>> running, Map<String, List<Long>> returned) {
    System.out.printf(
        "%s (%d services, %d rounds): from the command's start until every task runs"
            + " (polled every %d ms; jstack up --wait: its whole process)%n",
        s.name(), s.services(), rounds, POLL.toMillis());
    for (String tool : running.keySet()) {
      System.out.printf(
          "  %-20s median %6d ms   all: %s%s%n",
          tool,
          median(running.get(tool)),
          join(running.get(tool)),
          tool.equals(JSTACK_WAIT)
              ? ""
              : String.format(
                  "   (the command returned after: median %d ms, all: %s)",
                  median(returned.get(tool)), join(returned.get(tool))));
    }
    long d = median(running.get(DOCKER_DEPLOY));
    System.out.printf(
        "  ratio docker/jstack: %s (jstack up), %s (jstack up --wait)%n",
        ratio(d, median(running.get(JSTACK_UP))), ratio(d, median(running.get(JSTACK_WAIT))));
  }

  /** The lower middle one of an even count, as bench/lib.sh's median. */
  static long median(List<Long> ms) {
    List<Long> sorted = ms.stream().sorted().toList();
    return sorted.get((sorted.size() - 1) / 2);
  }

  static String ratio(long a, long b) {
    return String.format("%.2f", (double) a / b);
  }

  private static String join(List<Long> ms) {
    return ms.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }

  /** Which daemons and clients are measured, and on what. */
  private void facts() throws IOException, InterruptedException {
    SwarmRig.Node m = rig.manager();
    System.out.println(
        "swarm: a manager and a worker, each a dockerd in a network namespace of its own on this"
            + " host ("
            + Runtime.getRuntime().availableProcessors()
            + " CPUs); services and tasks polled on the manager");
    System.out.println(
        "dockerd: "
            + SwarmRig.must(
                    m,
                    "version",
                    "--format",
                    "{{.Server.Version}} (API {{.Server.APIVersion}}),"
                        + "{{range .Server.Components}} {{.Name}} {{.Version}}{{end}}")
                .strip()
            + "; "
            + SwarmRig.must(
                    m,
                    "info",
                    "--format",
                    "runtime {{.DefaultRuntime}}, cgroup {{.CgroupDriver}} v{{.CgroupVersion}},"
                        + " kernel {{.KernelVersion}}")
                .strip());
    System.out.println(
        "docker client: "
            + docker
            + " "
            + output(
                    command(
                        List.of(
                            docker,
                            "-H",
                            m.dockerHost(),
                            "version",
                            "--format",
                            "{{.Client.Version}} (API {{.Client.APIVersion}} with this dockerd)")))
                .strip()
            + "; docker stack deploy --resolve-image never");
    System.out.println(
        "jstack: "
            + jstack
            + " "
            + output(command(List.of(jstack.toString(), "--version"))).strip()
            + "; --engine swarm");
  }

  private ProcessBuilder jstack(Stack s, String... verb) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                jstack.toString(), "--engine", "swarm", "-p", s.name(), "-f", s.file().toString()));
    cmd.addAll(List.of(verb));
    ProcessBuilder pb = command(cmd);
    pb.environment().put("DOCKER_HOST", rig.manager().dockerHost());
    return pb;
  }

  private ProcessBuilder dockerDeploy(Stack s) {
    return command(
        List.of(
            docker,
            "-H",
            rig.manager().dockerHost(),
            "stack",
            "deploy",
            "--resolve-image",
            "never",
            "-c",
            s.file().toString(),
            s.name()));
  }

  /** A command with the manager's client configuration (as SwarmRig's), its output to a file. */
  private ProcessBuilder command(List<String> cmd) {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("DOCKER_HOST");
    pb.environment().put("DOCKER_CONFIG", rig.manager().root().resolve("client").toString());
    pb.redirectOutput(work.resolve("timed.out").toFile());
    return pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
  }

  /**
   * Runs {@code pb} from start to end, then polls until every task of {@code s} runs.
   *
   * @throws Failure when the command fails, or the stack does not run within {@link #LIMIT}
   */
  private Timing deploy(Stack s, String what, ProcessBuilder pb)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    finish(pb.start(), pb);
    long returned = System.nanoTime();
    long deadline = returned + LIMIT.toNanos();
    List<String> pending;
    while (!(pending = pending(s)).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new Failure(
            what
                + " of "
                + s.name()
                + " did not run every task within "
                + LIMIT.toSeconds()
                + " s: "
                + String.join(", ", pending));
      }
      Thread.sleep(POLL.toMillis());
    }
    long running = System.nanoTime();
    return new Timing(ms(returned - start), ms(running - start));
  }

  /**
   * Runs {@code pb} (which waits by itself) from start to end, and checks that every task of {@code
   * s} runs then.
   */
  private Timing whole(Stack s, ProcessBuilder pb) throws IOException, InterruptedException {
    long start = System.nanoTime();
    finish(pb.start(), pb);
    long took = ms(System.nanoTime() - start);
    List<String> pending = pending(s);
    if (!pending.isEmpty()) {
      throw new Failure(
          String.join(" ", pb.command())
              + " returned while not every task of "
              + s.name()
              + " ran: "
              + String.join(", ", pending));
    }
    return new Timing(took, took);
  }

  private void finish(Process p, ProcessBuilder pb) throws IOException, InterruptedException {
    if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new Failure(
          String.join(" ", pb.command()) + " did not return within " + LIMIT.toSeconds() + " s");
    }
    if (p.exitValue() != 0) {
      throw new Failure(
          String.join(" ", pb.command())
              + " failed (exit "
              + p.exitValue()
              + "); its output:\n"
              + tail(work.resolve("timed.out")));
    }
  }

  /** What {@code pb} printed; it must succeed. */
  private String output(ProcessBuilder pb) throws IOException, InterruptedException {
    finish(pb.start(), pb);
    return Files.readString(work.resolve("timed.out"));
  }

  /** What of {@code s} does not run yet: missing services, services short of tasks; empty: all. */
  private List<String> pending(Stack s) {
    List<DockerSwarm.Service> services = swarm.services(Map.of(SwarmSpecs.NAMESPACE, s.name()));
    List<String> out = new ArrayList<>();
    if (services.size() != s.services()) {
      out.add(services.size() + " of " + s.services() + " services");
    }
    for (DockerSwarm.Service svc : services) {
      if (svc.desiredTasks() == 0 || svc.runningTasks() < svc.desiredTasks()) {
        out.add(svc.name() + " " + svc.runningTasks() + "/" + svc.desiredTasks());
      }
    }
    return out;
  }

  /**
   * Removes {@code s} with {@code docker stack rm} and waits until no service of it is left on the
   * manager, and no container or network of it on either node (the manager lets a network go once
   * the tasks have left it, a few seconds later).
   */
  private void remove(Stack s) throws IOException, InterruptedException {
    SwarmRig.must(rig.manager(), "stack", "rm", s.name());
    long deadline = System.nanoTime() + LIMIT.toNanos();
    String label = "label=" + SwarmSpecs.NAMESPACE + "=" + s.name();
    while (true) {
      List<String> left = new ArrayList<>();
      int services = swarm.services(Map.of(SwarmSpecs.NAMESPACE, s.name())).size();
      if (services > 0) {
        left.add(services + " services");
      }
      for (SwarmRig.Node n : rig.nodes()) {
        String containers = SwarmRig.must(n, "ps", "-aq", "--filter", label).strip();
        if (!containers.isEmpty()) {
          left.add("containers on " + n.name() + ": " + containers.replace('\n', ' '));
        }
        String networks =
            SwarmRig.must(n, "network", "ls", "-q", "--filter", "name=" + s.name() + "_").strip();
        if (!networks.isEmpty()) {
          left.add("networks on " + n.name() + ": " + networks.replace('\n', ' '));
        }
      }
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new Failure(
            "docker stack rm "
                + s.name()
                + " left, after "
                + LIMIT.toSeconds()
                + " s: "
                + String.join("; ", left));
      }
      Thread.sleep(250);
    }
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private static String tail(Path file) throws IOException {
    List<String> lines =
        Arrays.asList(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
