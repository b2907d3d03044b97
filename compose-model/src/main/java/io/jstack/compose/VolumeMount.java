package io.jstack.compose;

/** TEMPORARY placeholder, replaced by the syntax branch. */
public record VolumeMount(
    String type,
    String source,
    String target,
    boolean readOnly,
    String consistency,
    BindOptions bind,
    VolumeOptions volume,
    TmpfsOptions tmpfs,
    ImageOptions image) {}
