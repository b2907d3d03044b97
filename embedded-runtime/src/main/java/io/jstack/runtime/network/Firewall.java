package io.jstack.runtime.network;

import io.jstack.engine.EngineException;
import io.jstack.runtime.internal.Children;
import io.jstack.runtime.internal.Locks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The packet filter rules of bridge networks, in jstack's own chains of the system's {@code
 * iptables}: {@code JSTACK-FORWARD} (jumped to first from {@code FORWARD}) and {@code
 * JSTACK-POSTROUTING} (from the nat table's {@code POSTROUTING}). Per network: traffic within it
 * passes; traffic to another jstack network is dropped; a network that is not internal may go out
 * (masqueraded) and get answers; nothing else comes in. Where dockerd runs, the policy of {@code
 * FORWARD} is DROP, so these ACCEPT rules are what lets bridged traffic pass. Changes hold a lock
 * for the whole host ({@code /run/lock/jstack-firewall.lock}): two engines (a test's and a user's)
 * may share the chains, and one must not drop them while the other adds its rules. A change reads
 * the rules once ({@code iptables-save}) and makes what is missing, or drops what is there, in one
 * {@code iptables-restore --noflush}: two processes, whatever the number of rules.
 */
public final class Firewall {
  static final String FORWARD = "JSTACK-FORWARD";
  static final String NAT = "JSTACK-POSTROUTING";

  /** jstack's chains: table, chain, and the built-in chain that jumps to it first. */
  private static final String[][] CHAINS = {
    {"filter", FORWARD, "FORWARD"}, {"nat", NAT, "POSTROUTING"}
  };

  /** jstack's bridges are named with this prefix; the isolation rule matches all of them. */
  public static final String BRIDGE_PREFIX = "jst-";

  private static final Path LOCK = Path.of("/run/lock/jstack-firewall.lock");

  private Firewall() {}

  /** Runs {@code change} while no other process or thread changes jstack's chains. */
  private static void locked(Runnable change) {
    try {
      Files.createDirectories(LOCK.getParent());
      Locks.Lock held = Locks.exclusive(LOCK);
      try {
        change.run();
      } finally {
        held.close();
      }
    } catch (IOException | UncheckedIOException e) {
      throw new EngineException("cannot lock " + LOCK + " to change the packet filter: " + e, e);
    }
  }

  /** Adds the rules of network {@code bridge} (creating jstack's chains first if need be). */
  public static void addNetwork(String bridge, Subnet subnet, boolean internal) {
    locked(() -> add(bridge, subnet, internal));
  }

  private static void add(String bridge, Subnet subnet, boolean internal) {
    Tables now = Tables.read();
    Changes change = new Changes();
    for (String[] c : CHAINS) {
      if (!now.hasChain(c[0], c[1])) {
        // Only a missing chain is declared: declaring one that exists would empty it.
        change.declare(c[0], c[1]);
      }
      if (now.count(c[0], jump(c)) == 0) {
        change.command(c[0], "-I " + c[2] + " 1 -j " + c[1]);
      }
    }
    for (Rule r : rules(bridge, subnet, internal)) {
      if (now.count(r.table(), r.line()) == 0) {
        change.command(r.table(), r.line());
      }
    }
    change.apply();
    if (!internal) {
      enableForwarding();
    }
  }

  /**
   * Removes the rules of network {@code bridge}; jstack's chains go when they are empty. (Each
   * change reads the whole packet filter: a few hundred lines where dockerd runs, more beside a
   * kube-proxy, once per network and engine start.)
   */
  public static void removeNetwork(String bridge, Subnet subnet, boolean internal) {
    locked(() -> remove(bridge, subnet, internal));
  }

  private static void remove(String bridge, Subnet subnet, boolean internal) {
    Tables now = Tables.read();
    Changes change = new Changes();
    for (Rule r : rules(bridge, subnet, internal)) {
      // Each copy: a rule added twice (by hand, or by an engine of before) goes too.
      for (int n = now.count(r.table(), r.line()); n > 0; n--) {
        change.command(r.table(), "-D" + r.line().substring(2));
        now.drop(r.table(), r.line());
      }
    }
    change.apply();
    // Apart, once the network's rules are gone: a chain still referred to elsewhere (a jump a
    // user added) cannot go, and must not keep those rules with it.
    Changes drop = new Changes();
    for (String[] c : CHAINS) {
      if (now.hasChain(c[0], c[1]) && !now.hasRules(c[0], c[1])) {
        for (int n = now.count(c[0], jump(c)); n > 0; n--) {
          drop.command(c[0], "-D" + jump(c).substring(2));
        }
        drop.command(c[0], "-X " + c[1]);
      }
    }
    drop.apply();
  }

  /** One rule of jstack's: its table, and its line as {@code iptables-save} prints it. */
  private record Rule(String table, String line) {}

  /** The jump to a chain of {@link #CHAINS}, as {@code iptables-save} prints it. */
  private static String jump(String[] chain) {
    return "-A " + chain[2] + " -j " + chain[1];
  }

  /** The rules of one network, each as {@code iptables-save} prints it. */
  private static List<Rule> rules(String bridge, Subnet subnet, boolean internal) {
    List<Rule> r = new ArrayList<>();
    r.add(new Rule("filter", "-A " + FORWARD + " -i " + bridge + " -o " + bridge + " -j ACCEPT"));
    r.add(
        new Rule(
            "filter", "-A " + FORWARD + " -i " + bridge + " -o " + BRIDGE_PREFIX + "+ -j DROP"));
    if (internal) {
      r.add(new Rule("filter", "-A " + FORWARD + " -i " + bridge + " -j DROP"));
    } else {
      r.add(new Rule("filter", "-A " + FORWARD + " -i " + bridge + " -j ACCEPT"));
      r.add(
          new Rule(
              "filter",
              "-A "
                  + FORWARD
                  + " -o "
                  + bridge
                  + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"));
      r.add(new Rule("nat", "-A " + NAT + " -s " + subnet + " ! -o " + bridge + " -j MASQUERADE"));
    }
    r.add(new Rule("filter", "-A " + FORWARD + " -o " + bridge + " -j DROP"));
    return r;
  }

  /**
   * The packet filter as {@code iptables-save} prints it, read once for a change: per table, its
   * chains and its rules (as lines, each as often as it is there).
   */
  private static final class Tables {
    private final Map<String, Set<String>> chains = new HashMap<>();
    private final Map<String, List<String>> rules = new HashMap<>();

    static Tables read() {
      Tables t = new Tables();
      String table = "";
      for (String line : output(List.of("iptables-save"), null).lines().toList()) {
        if (line.startsWith("*")) {
          table = line.substring(1).strip();
        } else if (line.startsWith(":")) {
          t.chains
              .computeIfAbsent(table, k -> new HashSet<>())
              .add(line.substring(1).split(" ")[0]);
        } else if (line.startsWith("-A ")) {
          t.rules.computeIfAbsent(table, k -> new ArrayList<>()).add(line.strip());
        }
      }
      return t;
    }

    boolean hasChain(String table, String chain) {
      return chains.getOrDefault(table, Set.of()).contains(chain);
    }

    boolean hasRules(String table, String chain) {
      return rules.getOrDefault(table, List.of()).stream()
          .anyMatch(l -> l.startsWith("-A " + chain + " "));
    }

    int count(String table, String line) {
      return (int) rules.getOrDefault(table, List.of()).stream().filter(line::equals).count();
    }

    void drop(String table, String line) {
      rules.getOrDefault(table, new ArrayList<>()).remove(line);
    }
  }

  /**
   * Changes to make in one {@code iptables-restore --noflush} (which leaves every other rule as it
   * is, and makes each table's changes at once): per table, the chains to declare, then the
   * commands.
   */
  private static final class Changes {
    private final Map<String, List<String>> declared = new TreeMap<>();
    private final Map<String, List<String>> commands = new TreeMap<>();

    void declare(String table, String chain) {
      declared.computeIfAbsent(table, k -> new ArrayList<>()).add(":" + chain + " - [0:0]");
      commands.computeIfAbsent(table, k -> new ArrayList<>());
    }

    void command(String table, String line) {
      commands.computeIfAbsent(table, k -> new ArrayList<>()).add(line);
    }

    /** Makes them; nothing (and no process) when there are none. */
    void apply() {
      if (commands.isEmpty()) {
        return;
      }
      StringBuilder in = new StringBuilder();
      commands.forEach(
          (table, lines) -> {
            in.append('*').append(table).append('\n');
            declared.getOrDefault(table, List.of()).forEach(l -> in.append(l).append('\n'));
            lines.forEach(l -> in.append(l).append('\n'));
            in.append("COMMIT\n");
          });
      output(List.of("iptables-restore", "-w", "--noflush"), in.toString());
    }
  }

  private static void enableForwarding() {
    java.nio.file.Path f = java.nio.file.Path.of("/proc/sys/net/ipv4/ip_forward");
    try {
      if (!java.nio.file.Files.readString(f).strip().equals("1")) {
        java.nio.file.Files.writeString(f, "1");
      }
    } catch (IOException e) {
      throw new EngineException(
          "cannot turn on IP forwarding for bridge networks: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code cmd} (an iptables tool) with {@code input} on its standard input; what it printed.
   *
   * @throws EngineException with its own words (and, for a change, the lines it was given)
   */
  private static String output(List<String> cmd, @Nullable String input) {
    Process p;
    try {
      p = Children.of(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new EngineException(
          "bridge networks need iptables, which cannot run: apt-get install -y iptables ("
              + e.getMessage()
              + ")",
          e);
    }
    try {
      try (java.io.OutputStream in = p.getOutputStream()) {
        if (input != null) {
          in.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new EngineException(
            String.join(" ", cmd)
                + " failed: "
                + out.strip().replace('\n', ' ')
                + (input == null ? "" : " (its input: " + input.strip().replace('\n', ';') + ")"));
      }
      return out;
    } catch (IOException e) {
      throw new EngineException(
          "could not talk to " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted running " + String.join(" ", cmd), e);
    }
  }
}
