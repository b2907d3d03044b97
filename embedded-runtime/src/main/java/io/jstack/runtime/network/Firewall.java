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
import java.util.List;

/**
 * The packet filter rules of bridge networks, in jstack's own chains of the system's {@code
 * iptables}: {@code JSTACK-FORWARD} (jumped to first from {@code FORWARD}) and {@code
 * JSTACK-POSTROUTING} (from the nat table's {@code POSTROUTING}). Per network: traffic within it
 * passes; traffic to another jstack network is dropped; a network that is not internal may go out
 * (masqueraded) and get answers; nothing else comes in. Where dockerd runs, the policy of {@code
 * FORWARD} is DROP, so these ACCEPT rules are what lets bridged traffic pass. Changes hold a lock
 * for the whole host ({@code /run/lock/jstack-firewall.lock}): two engines (a test's and a user's)
 * may share the chains, and one must not drop them while the other adds its rules.
 */
public final class Firewall {
  static final String FORWARD = "JSTACK-FORWARD";
  static final String NAT = "JSTACK-POSTROUTING";

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
    ensureChains();
    for (List<String> rule : rules(bridge, subnet, internal)) {
      List<String> check = new ArrayList<>(rule);
      check.set(2, "-C");
      if (!succeeds(check)) {
        List<String> add = new ArrayList<>(rule);
        add.set(2, "-A");
        iptables(add);
      }
    }
    if (!internal) {
      enableForwarding();
    }
  }

  /** Removes the rules of network {@code bridge}; jstack's chains go when they are empty. */
  public static void removeNetwork(String bridge, Subnet subnet, boolean internal) {
    locked(() -> remove(bridge, subnet, internal));
  }

  private static void remove(String bridge, Subnet subnet, boolean internal) {
    for (List<String> rule : rules(bridge, subnet, internal)) {
      List<String> delete = new ArrayList<>(rule);
      delete.set(2, "-D");
      List<String> check = new ArrayList<>(rule);
      check.set(2, "-C");
      while (succeeds(check)) {
        iptables(delete);
      }
    }
    removeChainsIfEmpty();
  }

  /** The rules of one network, as {@code -t TABLE -A CHAIN ...} (the verb at index 2). */
  private static List<List<String>> rules(String bridge, Subnet subnet, boolean internal) {
    List<List<String>> r = new ArrayList<>();
    r.add(List.of("-t", "filter", "-A", FORWARD, "-i", bridge, "-o", bridge, "-j", "ACCEPT"));
    r.add(
        List.of(
            "-t", "filter", "-A", FORWARD, "-i", bridge, "-o", BRIDGE_PREFIX + "+", "-j", "DROP"));
    if (internal) {
      r.add(List.of("-t", "filter", "-A", FORWARD, "-i", bridge, "-j", "DROP"));
    } else {
      r.add(List.of("-t", "filter", "-A", FORWARD, "-i", bridge, "-j", "ACCEPT"));
      r.add(
          List.of(
              "-t",
              "filter",
              "-A",
              FORWARD,
              "-o",
              bridge,
              "-m",
              "conntrack",
              "--ctstate",
              "RELATED,ESTABLISHED",
              "-j",
              "ACCEPT"));
      r.add(
          List.of(
              "-t",
              "nat",
              "-A",
              NAT,
              "-s",
              subnet.toString(),
              "!",
              "-o",
              bridge,
              "-j",
              "MASQUERADE"));
    }
    r.add(List.of("-t", "filter", "-A", FORWARD, "-o", bridge, "-j", "DROP"));
    return r;
  }

  private static void ensureChains() {
    for (String[] c :
        new String[][] {{"filter", FORWARD, "FORWARD"}, {"nat", NAT, "POSTROUTING"}}) {
      if (!succeeds(List.of("-t", c[0], "-n", "-L", c[1]))) {
        iptables(List.of("-t", c[0], "-N", c[1]));
      }
      if (!succeeds(List.of("-t", c[0], "-C", c[2], "-j", c[1]))) {
        iptables(List.of("-t", c[0], "-I", c[2], "1", "-j", c[1]));
      }
    }
  }

  private static void removeChainsIfEmpty() {
    for (String[] c :
        new String[][] {{"filter", FORWARD, "FORWARD"}, {"nat", NAT, "POSTROUTING"}}) {
      if (!succeeds(List.of("-t", c[0], "-n", "-L", c[1]))) {
        continue;
      }
      String rules = iptables(List.of("-t", c[0], "-S", c[1]));
      if (rules.lines().filter(l -> l.startsWith("-A ")).findAny().isEmpty()) {
        while (succeeds(List.of("-t", c[0], "-C", c[2], "-j", c[1]))) {
          iptables(List.of("-t", c[0], "-D", c[2], "-j", c[1]));
        }
        iptables(List.of("-t", c[0], "-X", c[1]));
      }
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

  private static boolean succeeds(List<String> args) {
    try {
      return start(args).waitFor() == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String iptables(List<String> args) {
    try {
      Process p = start(args);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new EngineException("iptables " + String.join(" ", args) + " failed: " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new EngineException("cannot read what iptables said: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted running iptables", e);
    }
  }

  private static Process start(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-w"));
    cmd.addAll(args);
    try {
      return Children.of(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new EngineException(
          "bridge networks need iptables, which cannot run: apt-get install -y iptables ("
              + e.getMessage()
              + ")",
          e);
    }
  }
}
