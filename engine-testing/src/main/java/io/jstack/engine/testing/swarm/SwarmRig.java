package io.jstack.engine.testing.swarm;

import io.jstack.engine.testing.NothingLeft;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real two-node Docker Swarm on this host: two {@code dockerd} processes (Debian's docker.io),
 * each in a network namespace of its own, joined by a veth pair on a private subnet; the first
 * initialises the swarm and is its manager, the second joins it as a worker. Each daemon has its
 * own data root, exec root, socket, pid file and cgroup parent, so nothing it makes is shared with
 * the host's dockerd. {@link #close()} removes everything it made, by pid and by name: services,
 * daemons (and their containerd), namespaces, the veth pair, cgroups, mounts and directories.
 *
 * <p>This kernel has no IPVS: Swarm's virtual IPs and its ingress routing mesh do not work here, so
 * services that must reach each other use {@code endpoint_mode: dnsrr} and ports are published in
 * host mode.
 */
public final class SwarmRig implements AutoCloseable {
  /**
   * The subnet the veth pair joins the nodes on: the namespaces' own, reachable from nowhere else.
   */
  public static final String SUBNET = "10.213.47.0/24";

  /** One node: its daemon's socket and its address on the rig's subnet. */
  public record Node(String name, String netns, Path socket, String address, Path root) {
    /** {@code DOCKER_HOST} for this node's daemon. */
    public String dockerHost() {
      return "unix://" + socket;
    }
  }

  private final Path dir;
  private final String tag;
  private final List<Node> nodes = new ArrayList<>();
  private final List<Process> daemons = new ArrayList<>();

  private SwarmRig(Path dir, String tag) {
    this.dir = dir;
    this.tag = tag;
  }

  /** The manager (it initialised the swarm). */
  public Node manager() {
    return nodes.get(0);
  }

  /** The worker. */
  public Node worker() {
    return nodes.get(1);
  }

  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  /**
   * Starts the two daemons, forms the swarm, labels each node ({@code rig.node=a|b}) and loads
   * {@code images} (from the host's dockerd) on both.
   *
   * @throws IOException when a step fails, with what it printed; what was made is removed
   */
  public static SwarmRig start(List<String> images) throws IOException, InterruptedException {
    Path dir = NothingLeft.temporaryDirectory("swarm");
    String tag =
        Long.toString(ProcessHandle.current().pid() % 100000, 36)
            + dir.getFileName().toString().substring(dir.getFileName().toString().length() - 4);
    SwarmRig rig = new SwarmRig(dir, tag.replaceAll("[^a-z0-9]", ""));
    try {
      rig.network();
      rig.daemon("a", "10.213.47.1");
      rig.daemon("b", "10.213.47.2");
      rig.form();
      rig.load(images);
      return rig;
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        rig.close();
      } catch (RuntimeException also) {
        e.addSuppressed(also);
      }
      throw e;
    }
  }

  private String netns(String node) {
    return "jsw" + tag + node;
  }

  private String veth(String node) {
    return "jsw" + tag + node;
  }

  private void network() throws IOException, InterruptedException {
    for (String n : List.of("a", "b")) {
      run("ip", "netns", "add", netns(n));
      run("ip", "-n", netns(n), "link", "set", "lo", "up");
    }
    run("ip", "link", "add", veth("a"), "type", "veth", "peer", "name", veth("b"));
    int host = 1;
    for (String n : List.of("a", "b")) {
      run("ip", "link", "set", veth(n), "netns", netns(n));
      run("ip", "-n", netns(n), "addr", "add", "10.213.47." + host++ + "/24", "dev", veth(n));
      run("ip", "-n", netns(n), "link", "set", veth(n), "up");
    }
  }

  private void daemon(String name, String address) throws IOException, InterruptedException {
    Path root = Files.createDirectories(dir.resolve(name));
    Path socket = root.resolve("docker.sock");
    Node node = new Node(name, netns(name), socket, address, root);
    List<String> cmd =
        List.of(
            "nsenter",
            "--net=/run/netns/" + netns(name),
            "dockerd",
            "--data-root",
            root.resolve("data").toString(),
            "--exec-root",
            root.resolve("exec").toString(),
            "-H",
            "unix://" + socket,
            "--pidfile",
            root.resolve("docker.pid").toString(),
            "--exec-opt",
            "native.cgroupdriver=cgroupfs",
            "--cgroup-parent",
            "/" + netns(name),
            "--bip",
            "172.31." + (name.equals("a") ? 201 : 202) + ".1/24",
            "--default-address-pool",
            "base=10.214.0.0/16,size=24",
            "--insecure-registry",
            SUBNET);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("dockerd.log").toFile())
            .start();
    daemons.add(p);
    nodes.add(node);
    Instant deadline = Instant.now().plusSeconds(60);
    while (!docker(node, "version", "--format", "{{.Server.Version}}").ok()) {
      if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IOException(
            "dockerd of node " + name + " did not start: " + tail(root.resolve("dockerd.log")));
      }
      Thread.sleep(200);
    }
  }

  private void form() throws IOException, InterruptedException {
    Node m = manager();
    must(
        m,
        "swarm",
        "init",
        "--advertise-addr",
        m.address(),
        "--listen-addr",
        m.address() + ":2377");
    String token = must(m, "swarm", "join-token", "-q", "worker").strip();
    must(
        worker(),
        "swarm",
        "join",
        "--token",
        token,
        "--advertise-addr",
        worker().address(),
        m.address() + ":2377");
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      String ready = must(m, "node", "ls", "--format", "{{.Hostname}} {{.Status}}");
      if (ready.lines().filter(l -> l.endsWith(" Ready")).count() == 2) {
        break;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("the worker did not become Ready: " + ready);
      }
      Thread.sleep(200);
    }
    for (Node n : nodes) {
      String id = must(n, "info", "--format", "{{.Swarm.NodeID}}").strip();
      must(m, "node", "update", "--label-add", "rig.node=" + n.name(), id);
    }
  }

  private void load(List<String> images) throws IOException, InterruptedException {
    if (images.isEmpty()) {
      return;
    }
    Path archive = dir.resolve("images.tar");
    List<String> save = new ArrayList<>(List.of("docker", "save", "-o", archive.toString()));
    save.addAll(images);
    run(save.toArray(String[]::new));
    for (Node n : nodes) {
      must(n, "load", "-i", archive.toString());
    }
    Files.delete(archive);
  }

  /**
   * Starts a registry (Debian's docker-registry) on the manager's address, port 5000, in its
   * namespace: both daemons reach it over the veth pair and trust it ({@code --insecure-registry}
   * of the rig's subnet); images pushed there are named {@code 10.213.47.1:5000/…}. The caller
   * closes it.
   */
  public io.jstack.engine.testing.image.LocalRegistry registry()
      throws IOException, InterruptedException {
    return io.jstack.engine.testing.image.LocalRegistry.startInNamespace(
        manager().netns(), manager().address(), 5000);
  }

  /** What a {@code docker} command printed and whether it succeeded. */
  public record Result(int code, String out) {
    public boolean ok() {
      return code == 0;
    }
  }

  /** {@code docker ARGS} against {@code node}'s daemon. */
  public static Result docker(Node node, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", node.dockerHost()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("DOCKER_HOST");
    pb.environment().put("DOCKER_CONFIG", node.root().resolve("client").toString());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new Result(-1, out + " (timed out)");
    }
    return new Result(p.exitValue(), out);
  }

  /**
   * The body {@code GET path} over HTTP/1.0 to {@code address:port} gets, asked from {@code from}'s
   * network namespace (outside every container: as a client on that node would ask); empty when
   * nothing answered within 3 s.
   */
  public static String httpGet(Node from, String address, int port, String path)
      throws IOException, InterruptedException {
    String response = io.jstack.engine.testing.NamespaceHttp.get(from.netns(), address, port, path);
    int body = response.indexOf("\r\n\r\n");
    return body < 0 ? "" : response.substring(body + 4);
  }

  /** {@code docker ARGS} against {@code node}, which must succeed; what it printed. */
  public static String must(Node node, String... args) throws IOException, InterruptedException {
    Result r = docker(node, args);
    if (!r.ok()) {
      throw new IOException(
          "docker " + String.join(" ", args) + " on node " + node.name() + ": " + r.out());
    }
    return r.out();
  }

  /**
   * Stops and removes everything: the swarm's services, the daemons (with their containerd and
   * containers), the namespaces and veth pair, the cgroups and mounts, and the directories.
   */
  @Override
  public void close() {
    List<String> failures = new ArrayList<>();
    if (!nodes.isEmpty()) {
      try {
        Result services = docker(manager(), "service", "ls", "-q");
        for (String id : services.out().strip().split("\\s+")) {
          if (!id.isEmpty()) {
            docker(manager(), "service", "rm", id);
          }
        }
      } catch (IOException | InterruptedException e) {
        failures.add("services: " + e.getMessage());
      }
    }
    for (Node n : nodes) {
      try {
        // Its containers go first: a daemon that stops leaves running ones to its containerd.
        Result ids = docker(n, "ps", "-aq");
        for (String id : ids.out().strip().split("\\s+")) {
          if (!id.isEmpty()) {
            docker(n, "rm", "-f", id);
          }
        }
      } catch (IOException | InterruptedException e) {
        failures.add("containers of " + n.name() + ": " + e.getMessage());
      }
    }
    for (Process p : daemons) {
      List<ProcessHandle> descendants = p.descendants().toList();
      p.destroy();
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (ProcessHandle d : descendants) {
        d.destroyForcibly();
      }
    }
    for (Node n : nodes) {
      unmountBelow(n.root(), failures);
    }
    for (String n : List.of("a", "b")) {
      quietly(failures, "ip", "netns", "del", netns(n));
      removeCgroups("/" + netns(n), failures);
    }
    quietly(failures, "ip", "link", "del", veth("a"));
    try {
      io.jstack.engine.testing.image.LocalRegistry.removeTree(dir);
    } catch (IOException e) {
      failures.add("directory " + dir + ": " + e.getMessage());
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("the swarm rig left things behind: " + failures);
    }
  }

  private static void unmountBelow(Path root, List<String> failures) {
    try {
      List<String> below = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        String point = f[4].replace("\\040", " ");
        if (point.startsWith(root + "/")) {
          below.add(point);
        }
      }
      below.sort(Comparator.comparingInt(String::length).reversed());
      for (String point : below) {
        quietly(failures, "umount", "-l", point);
      }
    } catch (IOException e) {
      failures.add("mounts below " + root + ": " + e.getMessage());
    }
  }

  private static void removeCgroups(String parent, List<String> failures) {
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path h : hierarchies.toList()) {
        Path top = h.resolve(parent.substring(1));
        if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (Stream<Path> walk = Files.walk(top)) {
          for (Path c :
              walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(c);
          }
        }
      }
    } catch (IOException e) {
      failures.add("cgroups " + parent + ": " + e.getMessage());
    }
  }

  private static void quietly(List<String> failures, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0 && !out.contains("Cannot find") && !out.contains("No such")) {
        failures.add(String.join(" ", cmd) + ": " + out.strip());
      }
    } catch (IOException e) {
      failures.add(String.join(" ", cmd) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + ": " + out.strip());
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** How long a swarm takes to settle a change here, for waits in tests. */
  public static final Duration SETTLE = Duration.ofSeconds(90);
}
