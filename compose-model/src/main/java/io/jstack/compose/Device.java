package io.jstack.compose;

/** A host device mapped into a container ({@code /dev/x:/dev/y:rwm}). */
public record Device(String source, String target, String permissions) {}
