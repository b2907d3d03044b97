package io.jstack.compose;

/** Windows credential spec of a managed service account. */
public record CredentialSpec(String config, String file, String registry) {}
