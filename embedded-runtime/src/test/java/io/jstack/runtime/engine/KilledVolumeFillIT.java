package io.jstack.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import io.jstack.engine.http.SocketTransport;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.image.TestImages;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.EngineProcess;
import io.jstack.runtime.Engines;
import io.jstack.runtime.ServeOptions;
import io.jstack.runtime.image.ImageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine process killed ({@code SIGKILL}) while it fills a new named volume from an image with
 * thousands of files and tens of MB at the mount point, at seeded moments spread over the create
 * (before, during and after the copy), on a data root and socket in the test's directory. After
 * each kill, what is on disk is looked at: a volume without the fill's marker is empty or whole,
 * never half. The next engine removes what the killed create left, and the next create with the
 * volume finishes the fill: the volume then holds exactly what the image has there (path, type,
 * mode, owner, size, content hash, link target). A volume whose fill finished and whose files a
 * container then changed is neither emptied nor filled again by a later kill, engine and create. At
 * least one kill must land mid-fill (the marker found), else the test proves nothing. The seed is
 * {@code -Djstack.fill.seed} (printed), each round's its own.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class KilledVolumeFillIT {
  private static final String BASE = "jstack-it/fill-base:1";
  private static final String IMAGE = "jstack-it/fill:1";
  private static final String TARGET = "/srv/data";
  private static final int ROUNDS = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  private @Nullable Engine engine;
  private final List<String> volumes = new ArrayList<>();
  private final ExecutorService clients = Executors.newCachedThreadPool();

  @Test
  void killedWhileFillingANewVolume_theNextCreateFinishesIt_andAChangedVolumeIsNeverRefilled()
      throws Exception {
    long seed = Long.getLong("jstack.fill.seed", 2105);
    Path data = dir.resolve("data");
    Path context = dir.resolve("context");
    int made = writeContext(context, seed);
    Engine e = start();
    e.load(TestImages.dockerArchive(BASE, java.util.Map.of()));
    e.build(context, IMAGE);
    Path layer = imageDirectory(data, e);
    String wanted = listing(layer);
    assertThat(wanted.lines().count()).as("what the image has at " + TARGET).isEqualTo(made);

    // The first fill also waits for what the build wrote to reach the disk: the second is the
    // one the rounds' are like, each after a fill on its engine.
    time(e, data, "fill-warm", wanted);
    Timing t = time(e, data, "fill-timing", wanted);
    System.out.printf(
        "a create filling %d entries (%d MB): the fill runs from %d ms to %d ms, the answer at %d"
            + " ms; seed %d%n",
        made, size(layer) >> 20, t.begins(), t.ends(), t.answered(), seed);
    long begins = t.begins();
    long ends = t.ends();
    long span = t.answered();

    int midFill = 0;
    java.util.Map<String, Integer> moments = new TreeMap<>();
    List<String> landed = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      long roundSeed = seed + round;
      // The first before the fill (in the first half of the time before it began: a fill after
      // a fill begins sooner), the last after it, the others in slices of it; seeded within.
      double u = new Random(roundSeed).nextDouble();
      long at =
          round == 0
              ? (long) (u * begins / 2)
              : round == ROUNDS - 1
                  ? ends + (long) (u * (2 * span - ends))
                  : begins + (long) ((ends - begins) * (round - 1 + u) / (ROUNDS - 2));
      String name = "fill-" + round;
      CompletableFuture<Integer> create = e.createLater(name, name, "true");
      Thread.sleep(at);
      e.kill();
      Integer answered = answer(create);
      Path volume = volume(data, name);
      boolean marked = Files.exists(volume.resolveSibling("_filling"));
      String left = Files.isDirectory(volume) ? listing(volume) : "";
      long entries = left.lines().count();
      String moment;
      if (marked) {
        moment = "mid-fill";
        midFill++;
      } else if (entries <= 1) {
        // No volume yet, or only its own (empty) directory: the fill had not begun.
        moment = "before the fill";
      } else {
        moment = "after the fill";
        assertThat(left)
            .as("round %d: a volume without the marker is whole", round)
            .isEqualTo(wanted);
      }
      landed.add(moment);
      moments.merge(moment, 1, Integer::sum);
      System.out.printf(
          "round %d (seed %d): killed %d ms into a %d ms create (%s): %s, %d of %d entries"
              + " there, marker %s%n",
          round,
          roundSeed,
          at,
          span,
          answered == null ? "no answer" : "answered " + answered,
          moment,
          entries,
          made,
          marked ? "present" : "absent");

      e = start();
      assertThat(unrecorded(data)).as("round %d: creates the kill cut short", round).isEmpty();
      e.create(name + "-again", name, "true");
      assertThat(listing(volume))
          .as("round %d: the volume after the next create", round)
          .isEqualTo(wanted);
      assertThat(volume.resolveSibling("_filling")).doesNotExist();
      e.remove(name + "-again");
      if (answered != null && answered == 201) {
        e.remove(name);
      }
    }
    System.out.println("kills that landed mid-fill: " + midFill + " of " + ROUNDS + " " + landed);
    assertThat(midFill).as("kills that landed mid-fill (the marker found) " + landed).isPositive();

    // A filled volume that a container changed: a kill during a later create, a new engine and a
    // new create leave the change alone.
    e.create("writer", "fill-0", "echo mine > /srv/data/mine.txt && rm -r /srv/data/d00");
    e.run("writer");
    String changed = listing(volume(data, "fill-0"));
    assertThat(changed).contains("\n/mine.txt ").doesNotContain("\n/d00");
    CompletableFuture<Integer> create = e.createLater("reader", "fill-0", "true");
    Thread.sleep(span / 2);
    e.kill();
    Integer answered = answer(create);
    e = start();
    e.create("reader-again", "fill-0", "true");
    assertThat(listing(volume(data, "fill-0"))).isEqualTo(changed);
    e.remove("writer");
    e.remove("reader-again");
    if (answered != null && answered == 201) {
      e.remove("reader");
    }
  }

  /** When, in a create, the fill began (its marker appeared), ended (it went) and it answered. */
  private record Timing(long begins, long ends, long answered) {}

  /**
   * Times a create of container {@code name} that fills a new volume of that name, checks what it
   * filled, and removes the container.
   */
  private Timing time(Engine e, Path data, String name, String wanted) throws Exception {
    CompletableFuture<Integer> create = e.createLater(name, name, "true");
    long t0 = System.nanoTime();
    Path marker = volume(data, name).resolveSibling("_filling");
    long begins = -1;
    long ends = -1;
    while (!create.isDone()) {
      boolean marked = Files.exists(marker);
      long now = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      begins = begins < 0 && marked ? now : begins;
      ends = begins >= 0 && ends < 0 && !marked ? now : ends;
      Thread.sleep(1);
    }
    long answered = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(create.get()).isEqualTo(201);
    assertThat(begins).as("the fill's marker was seen").isNotNegative();
    assertThat(listing(volume(data, name))).isEqualTo(wanted);
    e.remove(name);
    return new Timing(begins, ends < 0 ? answered : ends, answered);
  }

  /**
   * A build context whose image has, at {@link #TARGET}, directories {@code d00}..{@code d29} of
   * 200 files each of 1 to 16 KiB of seeded noise, a few 1 MiB files, a symbolic link and an empty
   * directory; the number of entries there, the target itself included.
   */
  private static int writeContext(Path context, long seed) throws IOException {
    Path data = Files.createDirectories(context.resolve("data"));
    Random random = new Random(seed);
    int entries = 1;
    for (int d = 0; d < 30; d++) {
      Path sub = Files.createDirectories(data.resolve(String.format("d%02d", d)));
      entries++;
      for (int f = 0; f < 200; f++) {
        byte[] noise = new byte[1024 + random.nextInt(15 * 1024)];
        random.nextBytes(noise);
        Files.write(sub.resolve(String.format("f%03d", f)), noise);
        entries++;
      }
    }
    for (int big = 0; big < 4; big++) {
      byte[] noise = new byte[1 << 20];
      random.nextBytes(noise);
      Files.write(data.resolve("big" + big + ".bin"), noise);
      entries++;
    }
    Files.createSymbolicLink(data.resolve("latest"), Path.of("d00/f000"));
    Files.createDirectories(data.resolve("empty"));
    entries += 2;
    Files.writeString(
        context.resolve("Dockerfile"), "FROM " + BASE + "\nCOPY data " + TARGET + "\n");
    return entries;
  }

  /** The image's directory at the target: in its top layer, which COPY wrote. */
  private static Path imageDirectory(Path data, Engine e) throws IOException {
    JsonNode layers = e.json("/images/" + IMAGE + "/json").path("RootFS").path("Layers");
    String top = layers.get(layers.size() - 1).asText();
    Path layer = ImageStore.open(new DataRoot(data)).layer(top).orElseThrow();
    return layer.resolve(TARGET.substring(1));
  }

  private static Path volume(Path data, String name) {
    return data.resolve("volumes").resolve(name).resolve("_data");
  }

  /**
   * One line per entry below {@code root}, sorted: path, type, mode, owner, size, and the content's
   * SHA-256 or the link's target.
   */
  private static String listing(Path root) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        var a =
            Files.readAttributes(
                p, "unix:mode,uid,gid,size,isSymbolicLink,isDirectory", LinkOption.NOFOLLOW_LINKS);
        boolean link = (Boolean) a.get("isSymbolicLink");
        boolean directory = (Boolean) a.get("isDirectory");
        String what =
            link
                ? "-> " + Files.readSymbolicLink(p)
                : directory ? "dir" : a.get("size") + " " + sha256(p);
        lines.add(
            "/"
                + root.relativize(p)
                + " "
                + Integer.toOctalString((Integer) a.get("mode"))
                + " "
                + a.get("uid")
                + ":"
                + a.get("gid")
                + " "
                + what);
      }
    }
    lines.sort(null);
    return String.join("\n", lines) + "\n";
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        md.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static long size(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }

  /** The container directories that have no record: what a create cut short left. */
  private static List<String> unrecorded(Path data) throws IOException {
    Path containers = data.resolve("containers");
    if (!Files.isDirectory(containers)) {
      return List.of();
    }
    try (Stream<Path> all = Files.list(containers)) {
      return all.filter(p -> !Files.exists(RecordFile.in(p)))
          .map(p -> p.getFileName().toString())
          .toList();
    }
  }

  /** The status a create answered before the kill; null when none came. */
  private static @Nullable Integer answer(CompletableFuture<Integer> create) throws Exception {
    try {
      return create.get(2, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException cut) {
      return null;
    }
  }

  /** Starts an engine on the test's data root and socket and waits until it answers. */
  private Engine start() throws Exception {
    Engine e = new Engine(dir);
    engine = e;
    e.awaitAnswer();
    return e;
  }

  /** An engine process as the CLI starts it, and a client on its socket. */
  private final class Engine {
    private final Process process;
    private final Path socket;
    private final SocketTransport client;

    Engine(Path dir) throws IOException {
      socket = dir.resolve("engine.sock");
      process =
          EngineProcess.builder(
                  new DataRoot(dir.resolve("data")), socket, ServeOptions.DEFAULTS, false)
              .redirectErrorStream(true)
              .redirectOutput(
                  java.lang.ProcessBuilder.Redirect.appendTo(dir.resolve("engine.log").toFile()))
              .start();
      client = new SocketTransport(new EngineAddress.Unix(socket));
    }

    void awaitAnswer() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Engines.answers(socket)) {
        assertThat(process.isAlive()).as("the engine started: " + log()).isTrue();
        assertThat(System.nanoTime())
            .as("the engine answers within 60 s: " + log())
            .isLessThan(deadline);
        Thread.sleep(25);
      }
      // The process killed is the one that serves: no parent in between.
      assertThat(Files.readString(dir.resolve("data/engine.pid")).strip())
          .isEqualTo(String.valueOf(process.pid()));
    }

    /** SIGKILL, as a crash or the OOM killer would end it. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(128 + 9);
      client.close();
    }

    /** Stops it as {@code jstack engine stop} does (SIGTERM) and waits. */
    void stop() throws InterruptedException {
      client.close();
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the engine did not stop within 60 s: " + log());
      }
    }

    boolean alive() {
      return process.isAlive();
    }

    void load(byte[] archive) throws IOException {
      try (HttpResponse r =
          client.execute(
              HttpRequest.postStream(
                  "/v1.41/images/load", "application/x-tar", new ByteArrayInputStream(archive)))) {
        String said = r.text();
        assertThat(r.status()).as(said).isEqualTo(200);
        assertThat(said).doesNotContain("\"error");
      }
    }

    void build(Path context, String tag) throws IOException {
      try (HttpResponse r =
          client.execute(
              HttpRequest.post(
                  "/v1.41/build?t="
                      + tag
                      + "&jstack-context="
                      + java.net.URLEncoder.encode(context.toString(), StandardCharsets.UTF_8)))) {
        String said = r.text();
        assertThat(r.status()).as(said).isEqualTo(200);
        assertThat(said).doesNotContain("\"error");
      }
    }

    JsonNode json(String path) throws IOException {
      try (HttpResponse r = client.execute(HttpRequest.get("/v1.41" + path))) {
        String said = r.text();
        assertThat(r.status()).as(path + ": " + said).isEqualTo(200);
        return JSON.readTree(said);
      }
    }

    private HttpRequest createRequest(String name, String volume, String script) {
      volumes.add(volume);
      String body =
          """
          {"Image": "%s", "Cmd": ["sh", "-c", %s],
           "HostConfig": {"NetworkMode": "none",
             "Mounts": [{"Type": "volume", "Source": "%s", "Target": "%s"}]}}
          """
              .formatted(IMAGE, JSON.valueToTree(script).toString(), volume, TARGET);
      return HttpRequest.postJson(
          "/v1.41/containers/create?name=" + name, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Creates container {@code name} with {@code volume} at the target, running {@code script}. */
    void create(String name, String volume, String script) throws IOException {
      try (HttpResponse r = client.execute(createRequest(name, volume, script))) {
        String said = r.text();
        assertThat(r.status()).as("create " + name + ": " + said).isEqualTo(201);
      }
    }

    /** As {@link #create}, in the background: the status it answered. */
    CompletableFuture<Integer> createLater(String name, String volume, String script) {
      HttpRequest request = createRequest(name, volume, script);
      return CompletableFuture.supplyAsync(
          () -> {
            try (HttpResponse r = client.execute(request)) {
              r.text();
              return r.status();
            } catch (IOException cut) {
              throw new java.io.UncheckedIOException(cut);
            }
          },
          clients);
    }

    /** Starts a created container and waits until it exits 0. */
    void run(String name) throws IOException {
      try (HttpResponse r =
          client.execute(HttpRequest.post("/v1.41/containers/" + name + "/start"))) {
        assertThat(r.status()).as(r.text()).isEqualTo(204);
      }
      try (HttpResponse r =
          client.execute(HttpRequest.post("/v1.41/containers/" + name + "/wait"))) {
        String said = r.text();
        assertThat(r.status()).as(said).isEqualTo(200);
        assertThat(JSON.readTree(said).path("StatusCode").asInt()).as(said).isZero();
      }
    }

    /** Removes a container, keeping its volumes. */
    void remove(String name) throws IOException {
      try (HttpResponse r =
          client.execute(HttpRequest.delete("/v1.41/containers/" + name + "?force=1"))) {
        assertThat(r.status()).as(name + ": " + r.text()).isEqualTo(204);
      }
    }

    /** Removes a container or volume, whether it is there or not. */
    void removeIfThere(String path) throws IOException {
      try (HttpResponse r = client.execute(HttpRequest.delete("/v1.41" + path))) {
        assertThat(r.status()).as(path + ": " + r.text()).isIn(204, 404);
      }
    }

    String log() {
      try {
        List<String> lines = Files.readAllLines(dir.resolve("engine.log"));
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }

  /**
   * Removes every container and the volumes the test made, with an engine that runs (a new one when
   * the test failed after a kill: it also removes what the kill left), then stops it.
   */
  @AfterEach
  void removeWhatTheTestMade() throws Exception {
    clients.shutdownNow();
    Engine e = engine;
    if (e == null) {
      return;
    }
    if (!e.alive()) {
      e = start();
    }
    List<Throwable> failures = new ArrayList<>();
    try {
      for (JsonNode c : e.json("/containers/json?all=1")) {
        e.removeIfThere("/containers/" + c.path("Id").asText() + "?force=1&v=1");
      }
      for (String v : new java.util.TreeSet<>(volumes)) {
        e.removeIfThere("/volumes/" + v);
      }
      TreeMap<String, String> left = new TreeMap<>();
      for (JsonNode c : e.json("/containers/json?all=1")) {
        left.put(c.path("Id").asText(), c.path("Names").toString());
      }
      assertThat(left).as("containers after the clean-up").isEmpty();
    } catch (Exception | AssertionError failed) {
      failures.add(failed);
    } finally {
      try {
        e.stop();
      } catch (Exception | AssertionError failed) {
        failures.add(failed);
      }
    }
    if (!failures.isEmpty()) {
      AssertionError all = new AssertionError("the test's clean-up failed", failures.get(0));
      failures.subList(1, failures.size()).forEach(all::addSuppressed);
      throw all;
    }
  }
}
