package io.jstack.runtime.engine;

import io.jstack.runtime.container.ExecConfig;

/**
 * An exec instance as a client asks for it: the process, and which of its streams the client
 * attaches to.
 */
public record ExecRequest(
    ExecConfig process,
    boolean privileged,
    boolean attachStdin,
    boolean attachStdout,
    boolean attachStderr) {}
