package io.jstack.compose;

import org.jspecify.annotations.Nullable;

/**
 * A service's use of a secret or config: which one ({@code source}), where it appears in the
 * container ({@code target}), owner and mode.
 */
public record FileReference(
    String source,
    @Nullable String target,
    @Nullable String uid,
    @Nullable String gid,
    @Nullable FileMode mode) {}
