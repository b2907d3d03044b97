package io.jstack.runtime.api;

import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The server's open connections, at most {@link ServerLimits#maxConnections}: past it, the one at
 * rest the longest is closed for the new one, so that clients that connect and say nothing (or keep
 * connections they no longer use) cannot use up the process's files and shut others out. A
 * connection with a request arriving or in flight (a followed log, an attach) is never closed for
 * this. An idle HTTP connection costs no thread: all share the event loop.
 */
final class Connections {
  private final ServerLimits limits;
  private final Map<Channel, Connection> open = new ConcurrentHashMap<>();

  Connections(ServerLimits limits) {
    this.limits = limits;
  }

  /** Serves {@code channel} with {@code router}'s routes, making room for it if need be. */
  void open(Channel channel, Router router, ExecutorService workers) {
    EpollInterest.keepRegistered(channel);
    open.put(channel, Connection.install(channel, router, workers, limits));
    channel.closeFuture().addListener(f -> open.remove(channel));
    if (open.size() > limits.maxConnections()) {
      closeIdlest(channel);
    }
  }

  /** How many connections are open. */
  int count() {
    return open.size();
  }

  private void closeIdlest(Channel besides) {
    Channel idlest = null;
    long since = Long.MAX_VALUE;
    for (Map.Entry<Channel, Connection> e : open.entrySet()) {
      long s = e.getValue().idleSince();
      if (e.getKey() != besides && s < since) {
        since = s;
        idlest = e.getKey();
      }
    }
    if (idlest != null) {
      open.remove(idlest);
      idlest.close();
    }
  }
}
