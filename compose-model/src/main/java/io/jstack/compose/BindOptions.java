package io.jstack.compose;

/** TEMPORARY placeholder. */
public record BindOptions(
    String propagation, boolean createHostPath, String recursive, String selinux) {}
