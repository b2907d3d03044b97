package io.jstack.compose;

/** TEMPORARY placeholder. */
public record ImageOptions(String subpath) {}
