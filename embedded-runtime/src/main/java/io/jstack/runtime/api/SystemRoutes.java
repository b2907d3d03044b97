package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.runtime.container.Usage;
import io.jstack.runtime.engine.Container;
import io.jstack.runtime.image.RegistryClient;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code /_ping}, {@code /version}, {@code /info}, {@code /events} and {@code /plugins}. */
final class SystemRoutes {
  private final SystemService engine;
  private final ImageService images;

  SystemRoutes(SystemService engine, ImageService images) {
    this.engine = engine;
    this.images = images;
  }

  void register(Router r) {
    r.add(HttpMethod.GET, "/_ping", x -> x.text(HttpResponseStatus.OK, "OK"))
        .add(HttpMethod.HEAD, "/_ping", x -> x.text(HttpResponseStatus.OK, "OK"))
        .add(HttpMethod.GET, "/version", x -> x.json(HttpResponseStatus.OK, version()))
        .add(HttpMethod.GET, "/info", x -> x.json(HttpResponseStatus.OK, info()))
        .add(HttpMethod.GET, "/events", this::events)
        // The jstack engine has no plugins; docker inspect asks here for names it found nowhere
        // else.
        .add(
            HttpMethod.GET,
            "/plugins/{name}/json",
            x -> x.error(HttpResponseStatus.NOT_FOUND, "plugin " + x.path("name") + " not found"));
  }

  private ObjectNode version() {
    ObjectNode v = Exchange.JSON.createObjectNode();
    v.put("Version", "jstack-0.1.0");
    v.put("ApiVersion", EngineServer.API_VERSION);
    v.put("MinAPIVersion", "1.24");
    v.put("Os", "linux");
    v.put("Arch", RegistryClient.hostPlatform().split("/")[1]);
    v.put("KernelVersion", System.getProperty("os.version"));
    v.putArray("Components").addObject().put("Name", "jstack engine").put("Version", "0.1.0");
    return v;
  }

  private ObjectNode info() {
    ObjectNode i = Exchange.JSON.createObjectNode();
    List<Container> all = engine.containers();
    i.put("ID", "jstack");
    i.put("Name", "jstack");
    i.put("ServerVersion", "jstack-0.1.0");
    i.put("OperatingSystem", "jstack embedded engine");
    i.put("OSType", "linux");
    i.put("Architecture", System.getProperty("os.arch"));
    i.put("NCPU", Runtime.getRuntime().availableProcessors());
    i.put("MemTotal", Usage.hostMemory());
    i.put("Containers", all.size());
    i.put(
        "ContainersRunning",
        all.stream().filter(c -> c.status() == Container.Status.running).count());
    i.put(
        "ContainersPaused",
        all.stream().filter(c -> c.status() == Container.Status.paused).count());
    i.put("ContainersStopped", all.stream().filter(c -> !c.alive()).count());
    // Images, not names: one image may have several, or only the key that keeps it dangling.
    i.put("Images", new java.util.HashSet<>(images.tags().values()).size());
    i.put("DockerRootDir", engine.dataRoot().toString());
    i.put("Driver", "overlay");
    i.put("KernelVersion", System.getProperty("os.version"));
    i.put("SystemTime", Instant.now().toString());
    i.putArray("Labels");
    i.put("CgroupDriver", "cgroupfs");
    // As dockerd: the runtime by name, and where it is.
    String runtime = engine.runtime().getFileName().toString();
    i.put("DefaultRuntime", runtime);
    i.putObject("Runtimes").putObject(runtime).put("path", engine.runtime().toString());
    return i;
  }

  /** Streams events as they happen (no history), filtered by label, type, container and event. */
  private void events(Exchange x) {
    Map<String, List<String>> filters = x.filters();
    Instant until = x.time("until");
    x.startChunked("application/json");
    CountDownLatch closed = new CountDownLatch(1);
    x.channel().closeFuture().addListener(f -> closed.countDown());
    Runnable unsubscribe =
        engine.subscribe(
            e -> {
              if (!Filters.labelsMatch(e.attributes(), filters.getOrDefault("label", List.of()))
                  || filters.containsKey("type") && !filters.get("type").contains("container")
                  || !Filters.actionMatches(e.action(), filters.getOrDefault("event", List.of()))
                  || filters.containsKey("container")
                      && !filters.get("container").contains(e.id())
                      && !filters.get("container").contains(e.attributes().get("name"))) {
                return;
              }
              ObjectNode n = Exchange.JSON.createObjectNode();
              n.put("Type", "container");
              n.put("Action", e.action());
              n.put("status", e.action());
              n.put("id", e.id());
              ObjectNode actor = n.putObject("Actor");
              actor.put("ID", e.id());
              ObjectNode attrs = actor.putObject("Attributes");
              e.attributes().forEach(attrs::put);
              n.put("scope", "local");
              n.put("time", e.time().getEpochSecond());
              n.put("timeNano", e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano());
              try {
                x.chunkLater(
                    (Exchange.JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
              } catch (IOException ex) {
                throw new UncheckedIOException(ex);
              }
            });
    try {
      while (x.open() && (until == null || Instant.now().isBefore(until))) {
        engine.announceExits();
        if (closed.await(100, TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      unsubscribe.run();
    }
    x.end();
  }
}
