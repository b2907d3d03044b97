package io.jstack.runtime.api;

import java.time.Duration;

/**
 * What one client may ask of the server, so that no client (malformed, oversized, slow or idle)
 * takes from the others: each limit passed is answered with a 4xx saying which, then the connection
 * ends.
 *
 * @param maxLine the longest request line ({@code POST /v1.41/containers/create?name=... HTTP/1.1})
 * @param maxHeaders the most bytes of headers (which also bounds how many there are)
 * @param maxWholeBody the largest body read whole (JSON requests)
 * @param maxStreamedBody the largest body read as it arrives (archives, image loads, build
 *     contexts)
 * @param requestTimeout how long a request's head, and its body when read whole, may take to arrive
 *     once its first byte did (a client trickling bytes holds nothing longer)
 * @param bodyIdleTimeout how long a streamed body may send nothing before it is given up
 * @param maxConnections how many connections may be open at once; past it, the one idle longest is
 *     closed to make room
 */
record ServerLimits(
    int maxLine,
    int maxHeaders,
    int maxWholeBody,
    long maxStreamedBody,
    Duration requestTimeout,
    Duration bodyIdleTimeout,
    int maxConnections) {

  /**
   * The engine's limits: generous for any Docker client (Go's own server takes 1 MiB of headers;
   * image loads and build contexts of many GiB stream through), and connections up to a quarter of
   * the process's open-file limit, the rest being the containers'.
   */
  static ServerLimits defaults() {
    return new ServerLimits(
        64 << 10,
        256 << 10,
        16 << 20,
        64L << 30,
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        (int)
            Math.max(
                256,
                Math.min(
                    65_536, io.jstack.runtime.container.internal.HostLimits.softNofile() / 4)));
  }
}
