package io.jstack.compose;

import java.util.List;
import java.util.Map;

/** How a service attaches to one network. */
public record ServiceNetwork(
    List<String> aliases,
    String interfaceName,
    String ipv4Address,
    String ipv6Address,
    List<String> linkLocalIps,
    String macAddress,
    Map<String, String> driverOpts,
    Integer priority,
    Integer gwPriority) {}
