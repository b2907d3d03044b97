package io.jstack.compose;

import java.util.List;
import java.util.Map;

/** A request for devices (GPUs) from a driver. */
public record DeviceRequest(
    List<String> capabilities,
    String count,
    List<String> deviceIds,
    String driver,
    Map<String, String> options) {}
