package io.jstack.compose;

import org.jspecify.annotations.Nullable;

/** A service's use of a top-level model: the variables that receive its endpoint and name. */
public record ServiceModel(@Nullable String endpointVar, @Nullable String modelVar) {}
