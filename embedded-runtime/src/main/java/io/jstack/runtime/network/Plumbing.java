package io.jstack.runtime.network;

import io.jstack.engine.EngineException;
import io.jstack.runtime.internal.Children;
import io.jstack.runtime.internal.NativeFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The links of bridge networks, made with the system's {@code ip} (iproute2): a Linux bridge per
 * network holding its gateway address, a network namespace per container, and a veth pair per
 * attachment of a container to a network. Every call says in one line what failed.
 */
public final class Plumbing {
  /** Where {@code ip netns} keeps the namespaces it names. */
  private static final String NETNS_DIR = "/run/netns";

  private Plumbing() {}

  /**
   * Creates bridge {@code name} with the gateway's address, up; an existing one is kept (and gets
   * that MTU and address). One {@code ip -batch} process.
   */
  public static void createBridge(String name, Subnet subnet, long gateway, int mtu) {
    String address = Subnet.address(gateway) + "/" + subnet.prefix();
    batch(
        "cannot create bridge " + name + " (" + address + ", MTU " + mtu + ")",
        List.of(
            Files.exists(Path.of("/sys/class/net", name))
                ? "link set dev " + name + " mtu " + mtu
                : "link add name " + name + " mtu " + mtu + " type bridge",
            "addr replace " + address + " dev " + name,
            "link set dev " + name + " up"));
  }

  /** Deletes a link (a bridge, or a veth pair by either end); nothing if it is gone. */
  public static void deleteLink(String name) {
    try {
      ip("link", "delete", "dev", name);
    } catch (EngineException e) {
      String message = e.getMessage();
      if (message == null || !message.contains("Cannot find device")) {
        throw e;
      }
    }
  }

  /**
   * Deletes a network namespace; nothing if it is gone. Its veth ends go with it. Done here as
   * {@code ip netns delete} does it (a lazy unmount of its file, then the file), sparing a process
   * on every removal of a container on a bridge network.
   */
  public static void deleteNamespace(String name) {
    java.nio.file.Path file = java.nio.file.Path.of(NETNS_DIR, name);
    if (!java.nio.file.Files.exists(file)) {
      return;
    }
    try {
      NativeFs.unmount(file);
      java.nio.file.Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new EngineException(
          "cannot delete network namespace " + name + ": " + e.getMessage(), e);
    }
  }

  /** One veth pair to make: from {@code bridge} into a namespace, as its {@code device}. */
  public record Link(
      String bridge,
      String hostEnd,
      String device,
      Subnet subnet,
      long address,
      long gateway,
      int mtu,
      boolean defaultRoute) {}

  /**
   * Makes a container's network namespace {@code namespace} (when {@code create}) with its loopback
   * up, and {@code links} into it: one {@code ip -batch} process, whatever their number, whose last
   * command runs the namespace's side ({@code netns exec NS ip -batch FILE}): a process started by
   * ip costs a fraction of one started by the JVM.
   */
  public static void plug(String namespace, boolean create, List<Link> links) {
    List<String> host = new ArrayList<>();
    List<String> inside = new ArrayList<>();
    if (create) {
      host.add("netns add " + namespace);
      inside.add("link set dev lo up");
    }
    for (Link l : links) {
      host.add(
          "link add name "
              + l.hostEnd()
              + " mtu "
              + l.mtu()
              + " type veth peer name "
              + l.device()
              + " mtu "
              + l.mtu()
              + " netns "
              + namespace);
      host.add("link set dev " + l.hostEnd() + " master " + l.bridge() + " up");
      inside.add(
          "addr add "
              + Subnet.address(l.address())
              + "/"
              + l.subnet().prefix()
              + " dev "
              + l.device());
      inside.add("link set dev " + l.device() + " up");
      if (l.defaultRoute()) {
        inside.add("route add default via " + Subnet.address(l.gateway()));
      }
    }
    if (inside.isEmpty()) {
      batch("cannot plug network namespace " + namespace, host);
      return;
    }
    java.nio.file.Path insideFile = null;
    try {
      insideFile = java.nio.file.Files.createTempFile("netns-" + namespace + "-", ".batch");
      java.nio.file.Files.writeString(insideFile, String.join("\n", inside) + "\n");
      host.add("netns exec " + namespace + " ip -batch " + insideFile);
      batch("cannot plug network namespace " + namespace, host);
    } catch (IOException e) {
      throw new EngineException(
          "cannot write the commands for network namespace " + namespace + ": " + e.getMessage(),
          e);
    } finally {
      if (insideFile != null) {
        try {
          java.nio.file.Files.deleteIfExists(insideFile);
        } catch (IOException e) {
          // A file of a few lines in the temporary directory.
        }
      }
    }
  }

  /**
   * Runs {@code lines} through {@code ip -batch -}; nothing for none. A failure says {@code what}
   * failed, then ip's words (which name the line).
   */
  private static void batch(String what, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    List<String> cmd = List.of("ip", "-batch", "-");
    try {
      Process p = Children.of(cmd).redirectErrorStream(true).start();
      try (java.io.OutputStream in = p.getOutputStream()) {
        in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new EngineException(
            what + ": " + String.join(" ", cmd) + " failed: " + out.strip().replace('\n', ' '));
      }
    } catch (IOException e) {
      throw missingIp(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted running " + String.join(" ", cmd), e);
    }
  }

  /** The names of the host's links now. */
  public static java.util.Set<String> links() {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (String l : run(List.of("-o", "link", "show")).lines().toList()) {
      String[] f = l.split(":\\s+", 3);
      if (f.length > 1) {
        out.add(f[1].split("@")[0]);
      }
    }
    return out;
  }

  private static void ip(String... args) {
    run(List.of(args));
  }

  private static String run(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(args);
    try {
      Process p = Children.of(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new EngineException(String.join(" ", cmd) + " failed: " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw missingIp(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted running " + String.join(" ", cmd), e);
    }
  }

  private static EngineException missingIp(IOException e) {
    return new EngineException(
        "bridge networks need the ip command, which cannot run: apt-get install -y iproute2 ("
            + e.getMessage()
            + ")",
        e);
  }
}
