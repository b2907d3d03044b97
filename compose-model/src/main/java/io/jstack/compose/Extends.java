package io.jstack.compose;

/** The service this one extends, and the file it is in ({@code null}: the same file). */
public record Extends(String service, String file) {}
