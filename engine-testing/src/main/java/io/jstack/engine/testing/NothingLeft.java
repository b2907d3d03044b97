package io.jstack.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The host is as the test found it: what the embedded engine's integration tests share to check
 * that they leave no process, mount, cgroup, network plumbing or file behind. Registered as
 * {@code @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);}, it
 * takes a snapshot before each test (before its {@code @BeforeEach} methods) and another after it
 * (after its {@code @AfterEach} methods, so after the test's own clean-up), and fails the test
 * unless the two are equal: nothing added, nothing taken away.
 *
 * <p>A snapshot holds:
 *
 * <ul>
 *   <li>processes whose command line or working directory names the test's scope (its temporary
 *       directory, holding its data roots): engines, conmon, runc, pulls;
 *   <li>mount points below the scope, {@code /run/netns} and {@code /run/jstack} ({@code
 *       /run/netns} itself, which iproute2 makes a mount point once, stays);
 *   <li>cgroups below {@code jstack} in every hierarchy (the {@code jstack} parents themselves stay
 *       once made, as Docker's {@code docker} ones do);
 *   <li>links named {@code jst-*} (bridges) and {@code jv*} (veths), namespaces {@code jstack-*},
 *       and iptables rules and chains naming {@code JSTACK} or {@code jst-};
 *   <li>files outside the scope where jstack, its tools or its tests write: everything below {@code
 *       /run/jstack} and {@code /var/lib/jstack} (the default socket's and data root's places,
 *       which no test may use), and the entries of {@code /run/netns}, {@code /var/tmp} (skopeo's
 *       temporaries), {@code /dev/shm}, {@code /tmp/jstack*} (registries, benches) and {@code
 *       /run/lock/jstack-*} (projects' locks on dockerd; the firewall's lock stays once made).
 * </ul>
 *
 * <p>Test classes run one after another, so in CI a difference is this test's. On a machine where
 * someone else runs tests at the same time, what provably belongs to them is left out of the
 * comparison: a container of a live conmon or a network of a live engine with another data root,
 * the runtime probe's cgroup of another process, a file that a process which is neither the test's
 * nor a child of this JVM names, and another JVM's {@link #temporaryDirectory}. What cannot be told
 * apart (say, the cgroup of another JVM's container between its exit and its removal) still counts:
 * run again, or alone. The check waits up to {@value #SETTLE_SECONDS} s for the host to settle (a
 * process exiting, a namespace going) before it fails.
 */
public final class NothingLeft implements BeforeEachCallback, AfterEachCallback {
  static final int SETTLE_SECONDS = 5;

  /** The cgroup RuntimeTools' probe makes, named by the probing process. */
  private static final Pattern PROBE = Pattern.compile("^cgroup .*/jstack/probe-(\\d+)$");

  /** A temporary directory named by the JVM that made it ({@link #temporaryDirectory}). */
  private static final Pattern MADE_BY = Pattern.compile("^file /tmp/jstack-[a-z]+-(\\d+)-");

  private final Supplier<Path> scope;
  private @Nullable Snapshot before;

  private NothingLeft(Supplier<Path> scope) {
    this.scope = scope;
  }

  /**
   * A new directory in /tmp named {@code jstack-<what>-<this JVM's pid>-...}, so that the check of
   * a test in another JVM (someone else's run on the same machine) knows it is not its own.
   */
  public static Path temporaryDirectory(String what) throws IOException {
    return Files.createTempDirectory(
        Path.of("/tmp"), "jstack-" + what + "-" + ProcessHandle.current().pid() + "-");
  }

  /** Checks around each test, {@code scope} (read when the test starts) being its own directory. */
  public static NothingLeft under(Supplier<Path> scope) {
    return new NothingLeft(scope);
  }

  /**
   * What is on the host now that this check compares (see the class comment), as one line per item:
   * {@code process PID COMMAND}, {@code mount PATH}, {@code cgroup HIERARCHY/jstack/NAME}, {@code
   * link NAME}, {@code netns NAME}, {@code rule TABLE RULE}, {@code file PATH}, less what provably
   * belongs to someone else (another data root's engine or conmon); for a test that asks who owns
   * each while its engine runs.
   */
  public static Set<String> inventory(Path scope) {
    Snapshot s = Snapshot.take(scope);
    Set<String> ours = new TreeSet<>(s.items());
    ours.removeIf(s::holds);
    return ours;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    before = Snapshot.take(scope.get());
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    Snapshot before = this.before;
    if (before == null) {
      return; // beforeEach failed, and said so
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
    String difference;
    while (true) {
      difference = before.differenceTo(Snapshot.take(scope.get()));
      if (difference.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(200);
    }
    if (!difference.isEmpty()) {
      throw new AssertionError(
          "the host is not as the test found it (after "
              + SETTLE_SECONDS
              + " s to settle):\n"
              + difference);
    }
  }

  /**
   * What a test may leave behind; and what others hold: container and network ids of other data
   * roots, and the command lines of processes that are neither the test's nor this JVM's children.
   */
  record Snapshot(
      Set<String> items,
      Set<String> foreignIds,
      Set<String> foreignCommands,
      Set<Long> foreignPids) {
    static Snapshot take(Path scope) {
      Snapshot s = new Snapshot(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
      processes(scope, s);
      mounts(scope, s.items);
      cgroups(s.items);
      networking(s.items);
      files(s.items);
      return s;
    }

    /** Empty when {@code after} holds the same items, else what was added and what went. */
    String differenceTo(Snapshot after) {
      Snapshot others =
          new Snapshot(
              Set.of(),
              new TreeSet<>(foreignIds),
              new TreeSet<>(foreignCommands),
              new TreeSet<>(foreignPids));
      others.foreignIds.addAll(after.foreignIds);
      others.foreignCommands.addAll(after.foreignCommands);
      others.foreignPids.addAll(after.foreignPids);
      Set<String> added = new TreeSet<>(after.items);
      added.removeAll(items);
      added.removeIf(i -> others.holds(i) || others.needChains(i, after.items));
      Set<String> gone = new TreeSet<>(items);
      gone.removeAll(after.items);
      gone.removeIf(i -> others.holds(i) || others.needChains(i, items) || leftoverChain(i, items));
      StringBuilder b = new StringBuilder();
      added.forEach(i -> b.append("  left behind: ").append(i).append('\n'));
      gone.forEach(i -> b.append("  taken away:  ").append(i).append('\n'));
      return b.toString();
    }

    /**
     * Whether {@code item} is someone else's: it names one of their ids (containers' cgroups and
     * namespaces carry their id, veths its first 9 characters, bridges and their rules a network
     * id's first 11); it is the runtime probe's cgroup of one of their processes; or it is a file
     * one of their processes names, or another JVM's temporary directory.
     */
    private boolean holds(String item) {
      if (foreignIds.stream()
          .anyMatch(id -> id.length() >= 9 && item.contains(id.substring(0, 9)))) {
        return true;
      }
      Matcher probe = PROBE.matcher(item);
      if (probe.find() && foreignPids.contains(Long.parseLong(probe.group(1)))) {
        return true;
      }
      Matcher madeBy = MADE_BY.matcher(item);
      if (madeBy.find() && Long.parseLong(madeBy.group(1)) != ProcessHandle.current().pid()) {
        return true;
      }
      String file = item.startsWith("file ") ? item.substring("file ".length()) : null;
      return file != null && foreignCommands.stream().anyMatch(c -> c.contains(file));
    }

    /**
     * Whether {@code item} is one of jstack's chains (or the jump to one) that no network's rule
     * needed when the test began ({@code before}): an empty chain that someone's crash left, which
     * the engine removes as soon as it next removes a network. Taking it away loses nothing.
     */
    private static boolean leftoverChain(String item, Set<String> before) {
      return isChain(item) && before.stream().noneMatch(i -> i.startsWith("rule ") && !isChain(i));
    }

    /** Whether {@code item} is a rule that every network shares: a chain of jstack's, or a jump. */
    private static boolean isChain(String item) {
      return item.startsWith("rule ") && !item.contains("jst-");
    }

    /**
     * Whether {@code item} is one of jstack's chains (or the jump to one), which every network on
     * the host shares, while {@code all} holds rules of someone else's network.
     */
    private boolean needChains(String item, Set<String> all) {
      return isChain(item)
          && all.stream().anyMatch(i -> i.startsWith("rule ") && i.contains("jst-") && holds(i));
    }
  }

  private static void processes(Path scope, Snapshot s) {
    String in = scope.toString();
    long self = ProcessHandle.current().pid();
    Set<Long> children = new java.util.HashSet<>();
    ProcessHandle.current().descendants().forEach(p -> children.add(p.pid()));
    try (Stream<Path> all = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
          continue;
        }
        List<String> args = commandLine(p);
        if (args.isEmpty()) {
          continue; // a kernel thread, or gone
        }
        String line = String.join(" ", args);
        String cwd = link(p.resolve("cwd"));
        if (line.contains(in) || cwd.startsWith(in + "/") || cwd.equals(in)) {
          s.items.add("process " + name + " " + abbreviate(line));
        } else if (!children.contains(Long.parseLong(name))) {
          s.foreignCommands.add(line);
          s.foreignPids.add(Long.parseLong(name));
          ownedElsewhere(args, s.foreignIds);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
    }
  }

  /** Container and network ids that a process of another data root holds. */
  private static void ownedElsewhere(List<String> args, Set<String> foreign) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).startsWith("--")) {
        flags.put(args.get(i), args.get(i + 1));
      }
    }
    if (args.get(0).endsWith("conmon") && flags.containsKey("--cid")) {
      foreign.add(flags.get("--cid"));
    }
    String root = flags.get("--data-root");
    if (root != null) {
      for (String kind : List.of("containers", "networks")) {
        try (Stream<Path> ids = Files.list(Path.of(root, kind))) {
          ids.forEach(id -> foreign.add(id.getFileName().toString().replace(".json", "")));
        } catch (IOException | RuntimeException none) {
          // Not made yet, or gone meanwhile.
        }
      }
    }
  }

  private static List<String> commandLine(Path proc) {
    try {
      byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
      List<String> args = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      if (start < raw.length) {
        args.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
      }
      return args;
    } catch (IOException gone) {
      return List.of();
    }
  }

  private static String link(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException | UnsupportedOperationException gone) {
      return "";
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  private static void mounts(Path scope, Set<String> items) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
    }
    Map<String, Integer> seen = new HashMap<>();
    for (String l : lines) {
      String point = unescape(l.split(" ")[4]);
      boolean watched =
          under(point, scope.toString())
              || point.startsWith("/run/netns/")
              || under(point, "/run/jstack");
      if (watched) {
        // Mounts stack: the same point twice is two mounts.
        int n = seen.merge(point, 1, Integer::sum);
        items.add("mount " + point + (n > 1 ? " (" + n + ")" : ""));
      }
    }
  }

  private static boolean under(String path, String dir) {
    return path.equals(dir) || path.startsWith(dir + "/");
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\\' && i + 3 < s.length()) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(s.charAt(i));
      }
    }
    return b.toString();
  }

  private static void cgroups(Set<String> items) {
    Path fs = Path.of("/sys/fs/cgroup");
    List<Path> parents = new ArrayList<>(List.of(fs.resolve("jstack")));
    try (Stream<Path> hierarchies = Files.list(fs)) {
      hierarchies.forEach(h -> parents.add(h.resolve("jstack")));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + fs + ": " + e.getMessage(), e);
    }
    // runc makes each container's cgroup right below jstack; a listing, unlike a walk, carries on
    // when one goes while it looks.
    for (Path parent : parents) {
      try (Stream<Path> all = Files.list(parent)) {
        all.filter(Files::isDirectory).forEach(p -> items.add("cgroup " + fs.relativize(p)));
      } catch (IOException notThere) {
        // No jstack cgroup in this hierarchy.
      }
    }
  }

  private static void networking(Set<String> items) {
    for (String l : run("ip", "-o", "link", "show").lines().toList()) {
      String[] fields = l.split(":\\s+", 3);
      if (fields.length < 2) {
        continue;
      }
      String name = fields[1].split("@")[0];
      if (name.startsWith("jst-") || name.startsWith("jv")) {
        items.add("link " + name);
      }
    }
    run("ip", "netns", "list")
        .lines()
        .map(l -> l.split(" ")[0])
        .filter(n -> n.startsWith("jstack-"))
        .forEach(n -> items.add("netns " + n));
    String table = "";
    for (String l : run("iptables-save").lines().toList()) {
      if (l.startsWith("*")) {
        table = l.substring(1);
      } else if (l.contains("JSTACK") || l.contains("jst-")) {
        // A chain's line carries its counters; a user chain's stay [0:0].
        items.add("rule " + table + " " + l);
      }
    }
  }

  private static void files(Set<String> items) {
    walk(Path.of("/run/jstack"), items);
    walk(Path.of("/var/lib/jstack"), items);
    // Entries only: a test's registry in /tmp/jstack-registry-* fills while the test runs.
    entries(Path.of("/run/netns"), n -> true, items);
    entries(Path.of("/var/tmp"), n -> true, items);
    entries(Path.of("/dev/shm"), n -> true, items);
    entries(Path.of("/tmp"), n -> n.startsWith("jstack"), items);
    // Projects' locks on dockerd; the firewall's lock stays once made, as the cgroup parents.
    entries(
        Path.of("/run/lock"),
        n -> n.startsWith("jstack-") && !n.equals("jstack-firewall.lock"),
        items);
  }

  private static void entries(
      Path dir, java.util.function.Predicate<String> named, Set<String> items) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> all = Files.list(dir)) {
      all.filter(p -> named.test(p.getFileName().toString())).forEach(p -> items.add("file " + p));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void walk(Path root, Set<String> items) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.forEach(p -> items.add("file " + p));
    } catch (IOException | java.io.UncheckedIOException changing) {
      items.add("file " + root + " (changing)");
    }
  }

  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(
          "the leak check needs " + cmd[0] + ", which cannot run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + cmd[0], e);
    }
  }
}
