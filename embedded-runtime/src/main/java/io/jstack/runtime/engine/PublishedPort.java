package io.jstack.runtime.engine;

/**
 * A port a running container publishes: the host address and port it got (kept, so that its next
 * run gets the same one), and the container's port behind it.
 */
public record PublishedPort(String protocol, String hostIp, int hostPort, int containerPort) {}
