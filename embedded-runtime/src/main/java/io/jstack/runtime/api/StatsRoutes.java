package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.container.Usage;
import io.jstack.runtime.engine.Container;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** {@code GET /containers/{id}/stats}: Docker's stats of a running container from its cgroups. */
final class StatsRoutes {
  private final StatsService engine;

  StatsRoutes(StatsService engine) {
    this.engine = engine;
  }

  void register(Router r) {
    r.add(HttpMethod.GET, "/containers/{id}/stats", this::stats);
  }

  /**
   * One object ({@code stream=false}, with the CPU figures of half a second earlier for rates, none
   * with {@code one-shot}), or one a second until it stops.
   */
  private void stats(Exchange x) throws IOException {
    Container c = engine.require(x.path("id"));
    String id = c.record().id();
    boolean stream = x.flag("stream", true);
    if (!c.alive()) {
      throw new EngineException.Conflict("container " + id + " is not running");
    }
    try {
      Usage before = x.flag("one-shot") ? null : engine.usage(id);
      if (!stream) {
        if (before != null) {
          Thread.sleep(500);
        }
        x.json(HttpResponseStatus.OK, stats(c, engine.usage(id), before));
        return;
      }
      x.startChunked("application/json");
      while (x.open() && engine.exitCode(id).isEmpty()) {
        Thread.sleep(1000);
        Usage now = engine.usage(id);
        byte[] line =
            (Exchange.JSON.writeValueAsString(stats(c, now, before)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        x.chunk(Unpooled.wrappedBuffer(line));
        before = now;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (EngineException e) {
      if (!stream) {
        throw e;
      }
      // It stopped while streaming: the stream ends.
    }
    if (stream) {
      x.end();
    }
  }

  private static ObjectNode stats(Container c, Usage now, @Nullable Usage before) {
    ObjectNode s = Exchange.JSON.createObjectNode();
    s.put("name", "/" + c.record().name());
    s.put("id", c.record().id());
    s.put("read", now.read().toString());
    s.put("preread", before == null ? "0001-01-01T00:00:00Z" : before.read().toString());
    s.putObject("pids_stats").put("current", now.pids()).put("limit", now.pidsLimit());
    s.put("num_procs", 0);
    com.fasterxml.jackson.databind.node.ArrayNode io =
        s.putObject("blkio_stats").putArray("io_service_bytes_recursive");
    for (Usage.BlockIo b : now.blockIo()) {
      io.addObject()
          .put("major", b.major())
          .put("minor", b.minor())
          .put("op", b.op())
          .put("value", b.value());
    }
    s.putObject("storage_stats");
    s.set("cpu_stats", cpu(now));
    s.set(
        "precpu_stats",
        before == null
            ? Exchange.JSON
                .createObjectNode()
                .set("cpu_usage", Exchange.JSON.createObjectNode().put("total_usage", 0))
            : cpu(before));
    if (!now.networks().isEmpty()) {
      ObjectNode networks = s.putObject("networks");
      now.networks()
          .forEach(
              (name, i) ->
                  networks
                      .putObject(name)
                      .put("rx_bytes", i.rxBytes())
                      .put("rx_packets", i.rxPackets())
                      .put("rx_errors", i.rxErrors())
                      .put("rx_dropped", i.rxDropped())
                      .put("tx_bytes", i.txBytes())
                      .put("tx_packets", i.txPackets())
                      .put("tx_errors", i.txErrors())
                      .put("tx_dropped", i.txDropped()));
    }
    ObjectNode m = s.putObject("memory_stats");
    m.put("usage", now.memoryUsage());
    m.put("max_usage", now.memoryMaxUsage());
    m.put("limit", now.memoryLimit());
    ObjectNode ms = m.putObject("stats");
    now.memoryStat().forEach(ms::put);
    return s;
  }

  private static ObjectNode cpu(Usage u) {
    ObjectNode cpu = Exchange.JSON.createObjectNode();
    ObjectNode usage = cpu.putObject("cpu_usage");
    usage.put("total_usage", u.cpuNanos());
    ArrayNode per = usage.putArray("percpu_usage");
    u.perCpuNanos().forEach(per::add);
    usage.put("usage_in_kernelmode", u.kernelNanos());
    usage.put("usage_in_usermode", u.userNanos());
    cpu.put("system_cpu_usage", u.systemNanos());
    cpu.put("online_cpus", u.onlineCpus());
    cpu.putObject("throttling_data")
        .put("periods", 0)
        .put("throttled_periods", 0)
        .put("throttled_time", 0);
    return cpu;
  }
}
