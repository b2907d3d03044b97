package io.jstack.compose;

/** TEMPORARY placeholder, replaced by the syntax branch. */
public record PortConfig(
    String name,
    String mode,
    String hostIp,
    int target,
    String published,
    String protocol,
    String appProtocol) {}
