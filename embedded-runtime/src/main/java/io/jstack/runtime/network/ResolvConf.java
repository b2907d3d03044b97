package io.jstack.runtime.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A container's {@code /etc/resolv.conf}, as dockerd writes it. On a user-defined network the
 * engine's DNS answers inside the container at {@link #EMBEDDED} ({@code nameserver 127.0.0.11},
 * the host's or the container's search domains and options, and {@code ndots:0} unless an {@code
 * ndots} is given). On Docker's default network the host's file, its loopback nameservers left out
 * (they mean nothing in another namespace), or one made of the container's {@code dns}, {@code
 * dns_search} and {@code dns_opt}, each falling back on the host's.
 */
public final class ResolvConf {
  /** Where the engine's DNS answers inside a container on a user-defined network. */
  public static final String EMBEDDED = "127.0.0.11";

  private ResolvConf() {}

  /** What a container asked for: its {@code dns}, {@code dns_search} and {@code dns_opt}. */
  public record Asked(List<String> servers, List<String> search, List<String> options) {
    public Asked {
      servers = List.copyOf(servers);
      search = List.copyOf(search);
      options = List.copyOf(options);
    }

    /** Nothing asked for. */
    public static final Asked NONE = new Asked(List.of(), List.of(), List.of());

    /** Whether it asks for any of them. */
    boolean any() {
      return !servers.isEmpty() || !search.isEmpty() || !options.isEmpty();
    }
  }

  /**
   * The host's resolv.conf: {@code /etc/resolv.conf}, or systemd-resolved's list of the real
   * servers when that one names only its local stub (as dockerd reads it); empty if none.
   */
  public static String host() {
    try {
      Path etc = Path.of("/etc/resolv.conf");
      String content = Files.isReadable(etc) ? Files.readString(etc) : "";
      Path resolved = Path.of("/run/systemd/resolve/resolv.conf");
      if (nameservers(content).equals(List.of("127.0.0.53")) && Files.isReadable(resolved)) {
        return Files.readString(resolved);
      }
      return content;
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The file of a container on a user-defined network: the engine's DNS at 127.0.0.11 (which asks
   * the container's {@code dns} servers, else the host's, what it does not know).
   *
   * @throws IllegalArgumentException when an {@code ndots} option has no number
   */
  public static String embedded(String host, Asked asked) {
    List<String> search = asked.search().isEmpty() ? search(host) : asked.search();
    List<String> options =
        new ArrayList<>(asked.options().isEmpty() ? options(host) : asked.options());
    if (!hasNdots(options)) {
      options.add("ndots:0");
    }
    return build(List.of(EMBEDDED), search, options);
  }

  /**
   * The file of a container on Docker's default network (or none): the host's without its loopback
   * and IPv6 nameservers, or one built from what the container asked and the host's for the rest.
   * When no nameserver is left, {@code fallback} (the network's gateway, where the engine's DNS
   * forwards to the host's resolvers; dockerd puts Google's public servers there).
   */
  public static String copied(String host, Asked asked, @Nullable String fallback) {
    if (asked.any()) {
      List<String> servers = asked.servers().isEmpty() ? usable(host) : asked.servers();
      if (servers.isEmpty() && fallback != null) {
        servers = List.of(fallback);
      }
      return build(
          servers,
          asked.search().isEmpty() ? search(host) : asked.search(),
          asked.options().isEmpty() ? options(host) : asked.options());
    }
    List<String> lines = new ArrayList<>();
    for (String line : host.split("\n", -1)) {
      String[] f = line.strip().split("\\s+");
      if (f.length < 2 || !f[0].equals("nameserver") || usableServer(f[1])) {
        lines.add(line);
      }
    }
    // split keeps the text after the last newline: the file's own ending stays as it was.
    String kept = String.join("\n", lines);
    if (usable(kept).isEmpty() && fallback != null) {
      kept += (kept.isEmpty() || kept.endsWith("\n") ? "" : "\n") + "nameserver " + fallback + "\n";
    }
    return kept;
  }

  /** dockerd's layout: the search line, the nameservers, the options line. */
  static String build(List<String> servers, List<String> search, List<String> options) {
    StringBuilder out = new StringBuilder();
    String domains = String.join(" ", search);
    if (!search.isEmpty() && !domains.strip().equals(".")) {
      out.append("search ").append(domains).append('\n');
    }
    for (String s : servers) {
      out.append("nameserver ").append(s).append('\n');
    }
    String opts = String.join(" ", options);
    if (!opts.isBlank()) {
      out.append("options ").append(opts).append('\n');
    }
    return out.toString();
  }

  /**
   * A {@code dns} server of a container, port 53.
   *
   * @throws IllegalArgumentException when it is no IP address
   */
  public static java.net.InetSocketAddress server(String address) {
    String a = address.strip();
    try {
      if (a.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
        return new java.net.InetSocketAddress(DnsServer.inet(Subnet.parseAddress(a)), 53);
      }
      if (a.contains(":") && a.matches("[0-9a-fA-F:.%\\w]+")) {
        // A literal IPv6 address: never looked up.
        return new java.net.InetSocketAddress(java.net.InetAddress.getByName(a), 53);
      }
    } catch (java.io.IOException | RuntimeException e) {
      // Said below.
    }
    throw new IllegalArgumentException(
        "dns server " + address + " is not an IP address; give one, as 10.0.0.2");
  }

  /** The nameservers of a resolv.conf, in order. */
  public static List<String> nameservers(String content) {
    return values(content, "nameserver");
  }

  /** Its nameservers that mean something in a container's namespace: IPv4, not loopback. */
  static List<String> usable(String content) {
    return nameservers(content).stream().filter(ResolvConf::usableServer).toList();
  }

  private static boolean usableServer(String server) {
    return !server.contains(":") && !server.startsWith("127.");
  }

  /** Its search domains (the last {@code search} line, as dockerd reads them). */
  static List<String> search(String content) {
    return lastLine(content, "search");
  }

  /** Its options (the last {@code options} line). */
  static List<String> options(String content) {
    return lastLine(content, "options");
  }

  /** The values of the last line that starts with {@code key}; none when there is none. */
  private static List<String> lastLine(String content, String key) {
    List<List<String>> all = lines(content, key);
    return all.isEmpty() ? List.of() : all.get(all.size() - 1);
  }

  /** The first value of each line that starts with {@code key}. */
  private static List<String> values(String content, String key) {
    return lines(content, key).stream().map(v -> v.get(0)).toList();
  }

  /** The values of each line that starts with {@code key} and has any. */
  private static List<List<String>> lines(String content, String key) {
    List<List<String>> out = new ArrayList<>();
    for (String line : content.lines().toList()) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 2 && f[0].equals(key)) {
        out.add(List.of(f).subList(1, f.length));
      }
    }
    return out;
  }

  private static boolean hasNdots(List<String> options) {
    for (String o : options) {
      if (o.startsWith("ndots:")) {
        try {
          if (Integer.parseInt(o.substring("ndots:".length())) >= 0) {
            return true;
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "dns option " + o + " is not ndots:<number>; give a number, as ndots:1");
        }
      }
    }
    return false;
  }
}
