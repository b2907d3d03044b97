package io.jstack.compose;

/**
 * A service's use of a secret or config: which one ({@code source}), where it appears in the
 * container ({@code target}), owner and mode.
 */
public record FileReference(String source, String target, String uid, String gid, FileMode mode) {}
