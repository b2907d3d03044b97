package io.jstack.compose;

/** A resource limit; a file's single value ({@code nofile: 1024}) sets both. */
public record Ulimit(long soft, long hard) {}
