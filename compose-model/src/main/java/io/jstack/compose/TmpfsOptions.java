package io.jstack.compose;

/** TEMPORARY placeholder. */
public record TmpfsOptions(ByteSize size, Integer mode) {}
