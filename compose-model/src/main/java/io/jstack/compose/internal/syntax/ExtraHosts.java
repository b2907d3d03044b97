package io.jstack.compose.internal.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One string entry of a service's {@code extra_hosts:} list, as compose-go's {@code
 * types.HostsList} reads it ({@code types/hostList.go}).
 *
 * <ul>
 *   <li>The host name and the address are separated by the first {@code =} if there is one, else by
 *       the first {@code :}; so {@code "myhost:::1"} and {@code "myhost=::1"} both map {@code
 *       myhost} to {@code ::1}.
 *   <li>The address part may list several addresses separated by commas ({@code
 *       "foo=127.0.0.2,127.0.0.3"}), so one entry maps a host to a list of addresses.
 *   <li>An address in brackets loses them ({@code "[::1]"} is {@code ::1}, {@code "[192.168.0.1]"}
 *       is {@code 192.168.0.1}).
 *   <li>Addresses are not checked ({@code host-gateway} is one Docker resolves); the host name must
 *       be non-empty and contain neither {@code :} nor {@code =}.
 * </ul>
 *
 * <p>{@code docker compose config} prints each host/address pair as {@code "host=address"}, sorted
 * ({@link #format}).
 */
public final class ExtraHosts {
  private ExtraHosts() {}

  /** Parses one entry into its host name and addresses (at least one). */
  public static Map.Entry<String, List<String>> parse(String entry) {
    int sep = entry.indexOf('=');
    if (sep < 0) {
      sep = entry.indexOf(':');
    }
    if (sep < 0) {
      throw new SyntaxException(
          "invalid extra host \""
              + entry
              + "\": missing IP address (use \"host=ip\" or \"host:ip\")");
    }
    String host = entry.substring(0, sep);
    checkHost(entry, host);
    List<String> addresses = new ArrayList<>();
    for (String address : entry.substring(sep + 1).split(",", -1)) {
      addresses.add(stripBrackets(address));
    }
    return Map.entry(host, List.copyOf(addresses));
  }

  /**
   * Rejects a host name Compose rejects, whether from a list entry or a key of the mapping form: an
   * empty one, or one containing {@code :} or {@code =}.
   *
   * @param source the text to name in the message
   */
  public static void checkHost(String source, String host) {
    if (host.isEmpty() || host.indexOf(':') >= 0 || host.indexOf('=') >= 0) {
      throw new SyntaxException(
          "invalid extra host \""
              + source
              + "\": bad host name \""
              + host
              + "\" (it must be non-empty and contain neither ':' nor '=')");
    }
  }

  /** Drops the brackets around an address, as in {@code "[::1]"}; other text is kept as is. */
  public static String stripBrackets(String address) {
    if (address.length() > 2
        && address.charAt(0) == '['
        && address.charAt(address.length() - 1) == ']') {
      return address.substring(1, address.length() - 1);
    }
    return address;
  }

  /** How {@code docker compose config} prints one host/address pair. */
  public static String format(String host, String address) {
    return host + "=" + address;
  }
}
