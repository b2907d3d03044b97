package io.jstack.compose;

import org.jspecify.annotations.Nullable;

/** Windows credential spec of a managed service account. */
public record CredentialSpec(
    @Nullable String config, @Nullable String file, @Nullable String registry) {}
