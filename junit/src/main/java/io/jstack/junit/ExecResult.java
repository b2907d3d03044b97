package io.jstack.junit;

/**
 * What a command run in a service's container printed, and how it ended.
 *
 * @param exitCode the command's exit code
 * @param stdout its standard output, as UTF-8
 * @param stderr its standard error, as UTF-8
 */
public record ExecResult(int exitCode, String stdout, String stderr) {}
