package io.jstack.compose;

/** An env file of a service: its path (absolute once loaded), whether it must exist, its format. */
public record EnvFile(String path, boolean required, String format) {}
