package io.jstack.compose;

import java.util.List;
import java.util.Map;

/** A command run in a service's container at a lifecycle point (or by a watch rule). */
public record Hook(
    List<String> command,
    String image,
    String user,
    boolean privileged,
    String workingDir,
    Map<String, String> environment,
    boolean perReplica) {}
