package io.jstack.compose;

import org.jspecify.annotations.Nullable;

/** A host device mapped into a container ({@code /dev/x:/dev/y:rwm}). */
public record Device(
    @Nullable String source, @Nullable String target, @Nullable String permissions) {}
