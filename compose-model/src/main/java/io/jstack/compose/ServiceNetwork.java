package io.jstack.compose;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** How a service attaches to one network. */
public record ServiceNetwork(
    List<String> aliases,
    @Nullable String interfaceName,
    @Nullable String ipv4Address,
    @Nullable String ipv6Address,
    List<String> linkLocalIps,
    @Nullable String macAddress,
    Map<String, String> driverOpts,
    @Nullable Integer priority,
    @Nullable Integer gwPriority) {}
