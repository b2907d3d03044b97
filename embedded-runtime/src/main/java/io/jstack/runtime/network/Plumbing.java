package io.jstack.runtime.network;

import io.jstack.engine.EngineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The links of bridge networks, made with the system's {@code ip} (iproute2): a Linux bridge per
 * network holding its gateway address, a network namespace per container, and a veth pair per
 * attachment of a container to a network. Every call says in one line what failed.
 */
public final class Plumbing {
  private Plumbing() {}

  /** Creates bridge {@code name} with the gateway's address, up; an existing one is kept. */
  public static void createBridge(String name, Subnet subnet, long gateway, int mtu) {
    if (!exists(name)) {
      ip("link", "add", "name", name, "type", "bridge");
    }
    ip("link", "set", "dev", name, "mtu", String.valueOf(mtu));
    String address = Subnet.address(gateway) + "/" + subnet.prefix();
    if (!run(List.of("addr", "show", "dev", name)).contains(" " + address + " ")) {
      ip("addr", "add", address, "dev", name);
    }
    ip("link", "set", "dev", name, "up");
  }

  /** Deletes a link (a bridge, or a veth pair by either end); nothing if it is gone. */
  public static void deleteLink(String name) {
    if (exists(name)) {
      ip("link", "delete", "dev", name);
    }
  }

  /** Whether link {@code name} exists on the host. */
  public static boolean exists(String name) {
    try {
      return new ProcessBuilder("ip", "link", "show", "dev", name)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start()
              .waitFor()
          == 0;
    } catch (IOException e) {
      throw missingIp(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Creates network namespace {@code name} ({@code /run/netns/<name>}) with its loopback up. */
  public static void createNamespace(String name) {
    ip("netns", "add", name);
    ip("-n", name, "link", "set", "dev", "lo", "up");
  }

  /** Deletes a network namespace; nothing if it is gone. Its veth ends go with it. */
  public static void deleteNamespace(String name) {
    if (java.nio.file.Files.exists(java.nio.file.Path.of("/run/netns", name))) {
      ip("netns", "delete", name);
    }
  }

  /**
   * Connects namespace {@code namespace} to bridge {@code bridge}: a veth pair whose host end
   * {@code hostEnd} joins the bridge and whose other end is {@code device} in the namespace, with
   * {@code address}, and the default route through {@code gateway} when {@code defaultRoute}.
   */
  public static void connect(
      String namespace,
      String bridge,
      String hostEnd,
      String device,
      Subnet subnet,
      long address,
      long gateway,
      int mtu,
      boolean defaultRoute) {
    ip(
        "link",
        "add",
        "name",
        hostEnd,
        "mtu",
        String.valueOf(mtu),
        "type",
        "veth",
        "peer",
        "name",
        device,
        "mtu",
        String.valueOf(mtu),
        "netns",
        namespace);
    ip("link", "set", "dev", hostEnd, "master", bridge, "up");
    ip(
        "-n",
        namespace,
        "addr",
        "add",
        Subnet.address(address) + "/" + subnet.prefix(),
        "dev",
        device);
    ip("-n", namespace, "link", "set", "dev", device, "up");
    if (defaultRoute) {
      ip("-n", namespace, "route", "add", "default", "via", Subnet.address(gateway));
    }
  }

  private static void ip(String... args) {
    run(List.of(args));
  }

  private static String run(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(args);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
