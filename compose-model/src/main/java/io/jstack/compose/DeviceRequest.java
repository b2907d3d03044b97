package io.jstack.compose;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A request for devices (GPUs) from a driver. */
public record DeviceRequest(
    List<String> capabilities,
    @Nullable String count,
    List<String> deviceIds,
    @Nullable String driver,
    Map<String, String> options) {}
