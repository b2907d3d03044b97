package io.jstack.compose.internal.syntax;

import io.jstack.compose.PortConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The short syntax of a service's {@code ports:} entry: {@code
 * [[HOST_IP:][PUBLISHED]:]TARGET[/PROTOCOL]}.
 *
 * <p>Behaves as Docker Compose v2: compose-go {@code types.ParsePortConfig} over
 * docker/go-connections {@code nat.ParsePortSpec} (v0.7.0, the version Docker Compose builds with):
 *
 * <ul>
 *   <li>{@code TARGET} and {@code PUBLISHED} are a port (0-65535) or a range {@code START-END};
 *   <li>a target range expands into one entry per port, paired port by port with a published range
 *       of the same size ({@code "8000-8001:9000-9001"} gives 9000 published as 8000 and 9001 as
 *       8001);
 *   <li>a single target with a published range stays one entry whose {@code published} is the range
 *       ({@code "8000-8010:80"} publishes 80 on some free port of 8000-8010);
 *   <li>{@code HOST_IP} is an IPv4 or IPv6 address, the latter bare ({@code "::1:80:80"}) or in
 *       brackets ({@code "[::1]:80:80"}); {@code "127.0.0.1::80"} binds an ephemeral host port;
 *   <li>{@code PROTOCOL} is {@code tcp} (the default), {@code udp} or {@code sctp}, any case;
 *   <li>entries come out sorted by their {@code "TARGET/PROTOCOL"} text, as compose-go sorts them
 *       (so {@code 10000} comes before {@code 9999});
 *   <li>{@code mode} is always {@code "ingress"}; an absent host IP or published port is {@code
 *       null}.
 * </ul>
 *
 * <p>A YAML integer entry ({@code - 80}) is parsed as its decimal text, as compose-go does with
 * {@code fmt.Sprint}; that is the caller's job.
 */
public final class Ports {
  private static final Pattern GO_INT = Pattern.compile("[+-]?[0-9]+");

  private Ports() {}

  /** Parses one short-syntax port entry into the entries Compose makes of it (at least one). */
  public static List<PortConfig> parse(String shortSyntax) {
    String spec = shortSyntax;
    String[] parts = spec.split(":", -1);
    int n = parts.length;
    String ip;
    String hostPort;
    String containerPart;
    switch (n) {
      case 1 -> {
        ip = "";
        hostPort = "";
        containerPart = parts[0];
      }
      case 2 -> {
        ip = "";
        hostPort = parts[0];
        containerPart = parts[1];
      }
      default -> {
        ip = String.join(":", Arrays.copyOfRange(parts, 0, n - 2));
        hostPort = parts[n - 2];
        containerPart = parts[n - 1];
      }
    }

    // nat.SplitProtoPort: the protocol follows the first '/'.
    int slash = containerPart.indexOf('/');
    String containerPort = slash < 0 ? containerPart : containerPart.substring(0, slash);
    String proto = slash < 0 ? "" : containerPart.substring(slash + 1);
    if (containerPort.isEmpty()) {
      throw fail(spec, "no container port given");
    }
    if (proto.isEmpty()) {
      proto = PortConfig.DEFAULT_PROTOCOL;
    }
    proto = proto.toLowerCase(Locale.ROOT);
    if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
      throw fail(spec, "unknown protocol \"" + proto + "\" (use tcp, udp or sctp)");
    }

    String hostIp = ip;
    if (!hostIp.isEmpty() && hostIp.charAt(0) == '[') {
      // net.SplitHostPort(ip + ":") strips the brackets of an IPv6 address.
      int close = hostIp.indexOf(']');
      if (close != hostIp.length() - 1 || hostIp.indexOf('[', 1) >= 0) {
        throw fail(spec, "the host IP \"" + ip + "\" is not a valid IP address");
      }
      hostIp = hostIp.substring(1, close);
    }
    if (!hostIp.isEmpty() && !GoIp.isValid(hostIp)) {
      throw fail(spec, "the host IP \"" + hostIp + "\" is not a valid IP address");
    }

    int[] target = range(spec, "container port", containerPort);
    int[] host = hostPort.isEmpty() ? null : range(spec, "published port", hostPort);
    if (host != null && target[1] - target[0] != host[1] - host[0] && target[1] != target[0]) {
      throw fail(
          spec,
          "the published range "
              + hostPort
              + " and the container range "
              + containerPort
              + " must be the same size");
    }

    int count = target[1] - target[0] + 1;
    List<PortConfig> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String published = null;
      if (host != null) {
        published = Integer.toString(host[0] + i);
        if (count == 1 && host[0] != host[1]) {
          published += "-" + host[1];
        }
      }
      result.add(
          new PortConfig(
              null,
              PortConfig.DEFAULT_MODE,
              hostIp.isEmpty() ? null : hostIp,
              target[0] + i,
              published,
              proto,
              null));
    }
    // compose-go sorts the nat.Port keys ("8080/tcp") as strings.
    result.sort(Comparator.comparing(p -> p.target() + "/" + p.protocol()));
    return List.copyOf(result);
  }

  /** nat.parsePortRange: {@code PORT} or {@code START-END}, split at the first '-'. */
  private static int[] range(String spec, String what, String text) {
    int dash = text.indexOf('-');
    String start = dash < 0 ? text : text.substring(0, dash);
    int startPort = number(spec, what, start);
    if (dash < 0) {
      return new int[] {startPort, startPort};
    }
    String end = text.substring(dash + 1);
    if (start.equals(end)) {
      return new int[] {startPort, startPort};
    }
    int endPort = number(spec, what, end);
    if (endPort < startPort) {
      throw fail(spec, "the " + what + " range " + text + " ends before it starts");
    }
    return new int[] {startPort, endPort};
  }

  /** nat.parsePortNumber: a decimal (Go strconv.ParseInt syntax) between 0 and 65535. */
  private static int number(String spec, String what, String text) {
    if (!GO_INT.matcher(text).matches()) {
      throw fail(spec, "the " + what + " must be a number or a range");
    }
    String digits = text.charAt(0) == '+' || text.charAt(0) == '-' ? text.substring(1) : text;
    digits = digits.replaceFirst("^0+(?=.)", "");
    boolean negative = text.charAt(0) == '-';
    if (negative && !digits.equals("0")
        || digits.length() > 5
        || Integer.parseInt(digits) > 65535) {
      throw fail(spec, "the " + what + " " + text + " is out of range (0-65535)");
    }
    return Integer.parseInt(digits);
  }

  private static SyntaxException fail(String spec, String problem) {
    return new SyntaxException("invalid port \"" + spec + "\": " + problem);
  }
}
