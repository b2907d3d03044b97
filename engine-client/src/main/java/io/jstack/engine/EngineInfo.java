package io.jstack.engine;

/** What an engine says about itself. */
public record EngineInfo(
    String name,
    String version,
    String apiVersion,
    String operatingSystem,
    String architecture,
    int cpus,
    long memoryBytes) {}
