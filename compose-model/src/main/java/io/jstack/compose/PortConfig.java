package io.jstack.compose;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a service's {@code ports:}, in the long form Compose normalises every entry to
 * (compose-go {@code types.ServicePortConfig}).
 *
 * @param name a human-readable name for the port; {@code null} when not set (Compose omits it)
 * @param mode {@code "ingress"} (the default) or {@code "host"}
 * @param hostIp the host address to bind to; {@code null} when not set (all addresses)
 * @param target the container port
 * @param published the host port: a number ({@code "8080"}) or, for a single target port, a range
 *     to pick one from ({@code "8000-8010"}); {@code null} when not set (an ephemeral port)
 * @param protocol {@code "tcp"} (the default), {@code "udp"} or {@code "sctp"}
 * @param appProtocol the application protocol (e.g. {@code "http"}); {@code null} when not set
 */
public record PortConfig(
    @Nullable String name,
    String mode,
    @Nullable String hostIp,
    int target,
    @Nullable String published,
    String protocol,
    @Nullable String appProtocol) {

  /** The mode Compose gives a port that does not name one. */
  public static final String DEFAULT_MODE = "ingress";

  /** The protocol Compose gives a port that does not name one. */
  public static final String DEFAULT_PROTOCOL = "tcp";

  public PortConfig {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(protocol, "protocol");
  }
}
