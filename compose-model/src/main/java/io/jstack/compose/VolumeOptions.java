package io.jstack.compose;

import java.util.Map;

/** TEMPORARY placeholder. */
public record VolumeOptions(Map<String, String> labels, boolean nocopy, String subpath) {}
