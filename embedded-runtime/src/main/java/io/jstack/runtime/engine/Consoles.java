package io.jstack.runtime.engine;

import io.jstack.runtime.container.Containers;
import io.jstack.runtime.internal.SeqPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who is attached to containers' consoles (conmon's attach socket, also for a run that has not
 * started yet) and who streams their output, which an auto-removal waits for.
 */
final class Consoles {
  private final ContainerStore store;
  private final Containers containers;

  /** How many clients stream each container's output now. */
  private final Map<String, AtomicInteger> readers = new ConcurrentHashMap<>();

  /** The attaches waiting for each container's next run. */
  private final Map<String, List<CompletableFuture<SeqPacket>>> attaching =
      new ConcurrentHashMap<>();

  Consoles(ContainerStore store, Containers containers) {
    this.store = store;
    this.containers = containers;
  }

  /**
   * Somebody streams a container's output (an attached client): its auto-removal waits until the
   * returned handle runs, so that the client reads its log to the end.
   */
  Runnable reading(String id) {
    readers.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    return () -> readers.computeIfPresent(id, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  /** Whether somebody streams its output now. */
  boolean beingRead(String id) {
    return readers.containsKey(id);
  }

  /**
   * Attaches to the console of a container with a terminal or an open input: at once if it runs,
   * else as it next starts, before its process prints anything. The caller closes the socket.
   */
  CompletableFuture<SeqPacket> attach(String idOrName) {
    Container c = store.require(idOrName);
    String id = c.record().id();
    CompletableFuture<SeqPacket> f = new CompletableFuture<>();
    if (c.alive()) {
      try {
        f.complete(SeqPacket.connect(containers.attachSocket(id)));
      } catch (IOException e) {
        f.completeExceptionally(e);
      }
      return f;
    }
    attaching.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(f);
    return f;
  }

  /**
   * Connects the attaches waiting for a container's next run to its console socket (its process is
   * about to start).
   */
  void connectWaiting(String id, Path socket) {
    List<CompletableFuture<SeqPacket>> waiting = attaching.remove(id);
    for (CompletableFuture<SeqPacket> f :
        waiting == null ? List.<CompletableFuture<SeqPacket>>of() : waiting) {
      try {
        SeqPacket s = SeqPacket.connect(socket);
        if (!f.complete(s)) {
          s.close(); // the client went away meanwhile
        }
      } catch (IOException e) {
        f.completeExceptionally(e);
      }
    }
  }
}
