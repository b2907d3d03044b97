package io.jstack.compose;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A command run in a service's container at a lifecycle point (or by a watch rule). */
public record Hook(
    List<String> command,
    @Nullable String image,
    @Nullable String user,
    boolean privileged,
    @Nullable String workingDir,
    Map<String, String> environment,
    boolean perReplica) {}
