package io.jstack.runtime;

import io.jstack.runtime.api.TcpListen;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How an engine serves, besides its data root and socket: what {@code jstack engine} takes and
 * passes on to the engine process it starts ({@link EngineProcess}), as the same flags.
 *
 * @param dnsUpstream where bridge networks' DNS asks names it does not know ({@code HOST:PORT,...})
 * @param group the group that may use the socket besides root
 * @param runtime the OCI runtime ({@code crun}, {@code runc} or a path)
 * @param tcp a TCP listener besides the socket
 */
public record ServeOptions(
    @Nullable String dnsUpstream,
    @Nullable String group,
    @Nullable String runtime,
    @Nullable TcpListen tcp) {

  /** Nothing besides the defaults. */
  public static final ServeOptions DEFAULTS = new ServeOptions(null, null, null, null);

  /**
   * The options among {@code flags} (flag to value).
   *
   * @throws IllegalArgumentException (a usage error) when the TCP flags do not go together
   */
  static ServeOptions fromFlags(Map<String, String> flags) {
    return new ServeOptions(
        flags.get("--dns-upstream"),
        flags.get("--group"),
        flags.get("--runtime"),
        TcpListen.fromFlags(
            flags.get("--tls-listen"),
            flags.get("--insecure-listen"),
            flags.get("--tlscacert"),
            flags.get("--tlscert"),
            flags.get("--tlskey")));
  }

  /** The flags that say these options, as {@link #fromFlags} reads them. */
  List<String> flags() {
    List<String> args = new ArrayList<>();
    if (dnsUpstream != null && !dnsUpstream.isBlank()) {
      args.addAll(List.of("--dns-upstream", dnsUpstream));
    }
    if (group != null) {
      args.addAll(List.of("--group", group));
    }
    if (runtime != null && !runtime.isBlank()) {
      args.addAll(List.of("--runtime", runtime));
    }
    if (tcp != null) {
      args.addAll(tcp.flags());
    }
    return args;
  }
}
