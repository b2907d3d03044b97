package io.jstack.runtime.build.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.api.EngineServer;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.image.ImageArchives;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential suite: every case under {@link DifferentialCase#ROOT} is built by the embedded
 * engine (in this JVM, by {@code POST /build} on its socket, the classic protocol) and by dockerd
 * 20.10, with BuildKit (Debian's 20.10 client, {@code DOCKER_BUILDKIT=1}) and with the classic
 * builder where it takes the Dockerfile. Both images are read from {@code docker save}: the config
 * fields of {@link ImageTree#FIELDS}, the number of history entries and the whole flattened file
 * tree must be BuildKit's. A case BuildKit 0.8 cannot build carries {@code expected.txt} taken from
 * BuildKit's own tests ({@link Expected}) and is checked against it. A failing case fails on both,
 * the embedded engine naming {@code Dockerfile:LINE}; failing cases are not given to the classic
 * builder, which would leave the images of the steps before the failure behind. Where the classic
 * builder's image differs from BuildKit's, the case says so and why ({@code classic=differs: WHY}),
 * and the suite checks that it still does.
 *
 * <p>The embedded engine gets the whole context, unfiltered, so that its own {@code .dockerignore}
 * rules are tested (the docker CLI would apply them itself).
 *
 * <p>By default the cases marked {@code ci=true} run; {@code -Djstack.build.differential=full} runs
 * all, {@code -Djstack.build.differential=CASE,CASE} the cases named. It prints one summary line
 * and writes the per-case results to {@code target/differential-report.txt}.
 */
class DifferentialIT {
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
  private static final String DOCKER_20 = "/usr/bin/docker";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);
  private EmbeddedEngine engine;
  private EngineServer server;
  private HttpServer files;
  private String host;
  private final String tag = UUID.randomUUID().toString().substring(0, 8);
  private final Set<String> dockerdImages = new TreeSet<>();
  private final Set<String> engineImages = new TreeSet<>();

  @BeforeEach
  void engine() throws Exception {
    Path archive = dir.resolve("busybox.tar");
    run(cli(null, "save", "-o", archive.toString(), "jstack-examples/busybox:latest"), false);
    engine = new EmbeddedEngine(new DataRoot(dir.resolve("data")), RuntimeTools.detect());
    try (InputStream in = Files.newInputStream(archive)) {
      ImageArchives.load(engine.images(), in, null);
    }
    engine.supervise(Duration.ofMillis(200), List.of());
    server = EngineServer.start(engine, dir.resolve("engine.sock"), null, line -> {});
    host = "unix://" + dir.resolve("engine.sock");
    files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    files.createContext("/", this::serve);
    files.start();
  }

  @AfterEach
  void cleanUp() throws Exception {
    try {
      for (String image : dockerdImages) {
        run(cli(null, "rmi", "-f", image), true);
      }
      for (String image : engineImages) {
        run(cli(host, "rmi", "-f", image), true);
      }
    } finally {
      if (files != null) {
        files.stop(0);
      }
      try {
        if (server != null) {
          server.close();
        }
      } finally {
        if (engine != null) {
          engine.stopSupervising();
          engine.networks().list().forEach(engine.networks()::remove);
        }
      }
      LayerUnpacker.removeTree(dir.resolve("data"));
    }
  }

  @Test
  void everyCase_givesBuildKitsImage_orItsExpectedResult() throws Exception {
    String which = System.getProperty("jstack.build.differential", "ci");
    boolean full = which.equals("full");
    Set<String> named = which.equals("ci") || full ? Set.of() : Set.of(which.split(","));
    List<DifferentialCase> cases =
        DifferentialCase.all().stream()
            .filter(c -> named.isEmpty() ? full || c.ci() : named.contains(c.name()))
            .toList();
    assertThat(cases.stream().map(DifferentialCase::name).toList())
        .as("-Djstack.build.differential=ci|full|CASE,CASE...")
        .containsAll(named);
    long start = System.nanoTime();
    List<String> report = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (DifferentialCase c : cases) {
      long t0 = System.nanoTime();
      List<String> problems;
      try {
        problems = check(c);
      } catch (Exception | AssertionError e) {
        problems = List.of(e.toString());
      }
      String line =
          String.format(
              "%-32s %s %5.1fs%s",
              c.name(),
              problems.isEmpty() ? "PASS" : "FAIL",
              (System.nanoTime() - t0) / 1e9,
              c.classic().equals("same")
                  ? ""
                  : "  [classic " + c.classic() + ": " + c.classicWhy() + "]");
      report.add(line);
      problems.forEach(p -> report.add("    " + p));
      problems.forEach(p -> System.out.println("differential     " + p));
      if (!problems.isEmpty()) {
        failed.add(c.name() + ": " + String.join(" | ", problems));
      }
      System.out.println("differential " + line);
    }
    String summary =
        String.format(
            "differential (%s): %d cases, %d passed, %d failed, %.0f s",
            named.isEmpty() ? which : "named",
            cases.size(),
            cases.size() - failed.size(),
            failed.size(),
            (System.nanoTime() - start) / 1e9);
    report.add(summary);
    System.out.println(summary);
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target/differential-report.txt"), report, StandardCharsets.UTF_8);

    assertThat(cases).isNotEmpty();
    assertThat(failed).as(summary).isEmpty();
  }

  /** What is wrong with one case; empty when it passes. */
  private List<String> check(DifferentialCase c) throws Exception {
    Path context = Files.createDirectories(dir.resolve("ctx-" + c.name()));
    c.prepare(context);
    List<String> problems = new ArrayList<>();
    if (c.fails().isPresent()) {
      Build kit = build(c, context, Builder.BUILDKIT);
      if (kit.ok()) {
        problems.add("BuildKit built it; it must fail");
      } else if (!Pattern.compile(c.fails().get()).matcher(kit.output()).find()) {
        problems.add("BuildKit's output lacks /" + c.fails().get() + "/: " + tail(kit.output()));
      }
      Build ours = build(c, context, Builder.EMBEDDED);
      String line = "Dockerfile:" + c.failsLine().orElse("?");
      if (ours.ok()) {
        problems.add("the embedded engine built it; it must fail naming " + line);
      } else if (!ours.output().contains(line)) {
        problems.add(
            "the embedded engine's error does not name " + line + ": " + tail(ours.output()));
      }
      return problems;
    }
    if (c.hasExpected()) {
      Expected expected = c.expected();
      Build ours = build(c, context, Builder.EMBEDDED);
      if (!ours.ok()) {
        return List.of("the embedded engine failed: " + tail(ours.output()));
      }
      return expected.differences(ours.image());
    }
    Build kit = build(c, context, Builder.BUILDKIT);
    if (!kit.ok()) {
      return List.of("BuildKit failed: " + tail(kit.output()));
    }
    if (!c.classic().equals("unsupported")) {
      Build classic = build(c, context, Builder.CLASSIC);
      List<String> d = classic.ok() ? differences(kit.image(), classic.image()) : List.of();
      if (!classic.ok()) {
        problems.add(
            "the classic builder failed (say classic=unsupported): " + tail(classic.output()));
      } else if (c.classic().equals("same") && !d.isEmpty()) {
        problems.add("the classic builder differs from BuildKit (say classic=differs): " + d);
      } else if (c.classic().equals("differs") && d.isEmpty()) {
        problems.add("the classic builder no longer differs from BuildKit");
      }
    }
    Build ours = build(c, context, Builder.EMBEDDED);
    if (!ours.ok()) {
      problems.add("the embedded engine failed: " + tail(ours.output()));
    } else {
      ImageTree want = kit.image();
      if (!c.mountStubs().isEmpty()) {
        java.util.Map<String, String> tree = new java.util.TreeMap<>(want.tree());
        for (String stub : c.mountStubs()) {
          String entry = tree.remove(stub);
          if (entry == null || !entry.startsWith(stub + " dir ")) {
            problems.add("BuildKit left no mount stub directory " + stub + ": " + entry);
          }
        }
        for (String stub : c.mountStubs()) {
          if (tree.keySet().stream().anyMatch(p -> p.startsWith(stub + "/"))) {
            problems.add("BuildKit's mount stub " + stub + " is not empty");
          }
        }
        want = new ImageTree(want.config(), want.history(), tree);
      }
      differences(want, ours.image()).forEach(d -> problems.add("embedded vs BuildKit: " + d));
    }
    return problems;
  }

  /** How two images differ, BuildKit's first; at most 20 lines. */
  static List<String> differences(ImageTree want, ImageTree got) {
    List<String> d = new ArrayList<>();
    for (String f : ImageTree.FIELDS) {
      String a = want.config().get(f);
      String b = got.config().get(f);
      if (a == null ? b != null : !a.equals(b)) {
        d.add(f + " " + a + " / " + b);
      }
    }
    if (want.history() != got.history()) {
      d.add("history " + want.history() + " / " + got.history() + " entries");
    }
    Set<String> paths = new TreeSet<>(want.tree().keySet());
    paths.addAll(got.tree().keySet());
    for (String p : paths) {
      String a = want.tree().get(p);
      String b = got.tree().get(p);
      if (a == null || !a.equals(b)) {
        d.add((a == null ? "-" : a) + " / " + (b == null ? "-" : b));
      }
    }
    return d.size() > 20 ? List.copyOf(d.subList(0, 20)) : d;
  }

  private enum Builder {
    BUILDKIT,
    CLASSIC,
    EMBEDDED
  }

  /** A build's outcome: its output and, when it succeeded, its image. */
  private record Build(boolean ok, String output, ImageTree image) {}

  private Build build(DifferentialCase c, Path context, Builder on) throws Exception {
    String image =
        "jstack-differential-" + c.name().toLowerCase() + ":" + tag + "-" + on.name().toLowerCase();
    String where = on == Builder.EMBEDDED ? host : null;
    (on == Builder.EMBEDDED ? engineImages : dockerdImages).add(image);
    Map<String, String> args = c.args(url(c));
    List<String> cmd;
    if (on == Builder.EMBEDDED) {
      cmd = apiBuild(c, context, image, args);
    } else {
      cmd =
          new ArrayList<>(
              List.of(
                  cli(
                      where,
                      "build",
                      "-t",
                      image,
                      "-f",
                      context.resolve(c.dockerfile()).toString())));
      for (Map.Entry<String, String> a : args.entrySet()) {
        cmd.addAll(List.of("--build-arg", a.getKey() + "=" + a.getValue()));
      }
      c.target().ifPresent(t -> cmd.addAll(List.of("--target", t)));
      if (on == Builder.BUILDKIT && c.secret().isPresent()) {
        String s = c.secret().get();
        cmd.addAll(List.of("--secret", s.replace("src=", "src=" + context + "/")));
      }
      if (on == Builder.CLASSIC) {
        cmd.add("--force-rm");
      }
      cmd.add(context.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DOCKER_BUILDKIT", on == Builder.BUILDKIT ? "1" : "0");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Build(false, "timed out after " + BUILD_TIMEOUT + ": " + out, null);
    }
    boolean ok = p.exitValue() == 0;
    if (on == Builder.EMBEDDED) {
      StringBuilder text = new StringBuilder();
      boolean built = false;
      for (String line : out.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        if (!line.startsWith("{")) {
          text.append(line).append('\n');
          continue;
        }
        JsonNode m = JSON.readTree(line);
        text.append(m.path("stream").asText(""))
            .append(m.path("error").asText(""))
            .append(m.path("message").asText(""));
        ok &= !m.has("error");
        built |= m.path("aux").has("ID");
      }
      ok &= built;
      out = text.toString();
    }
    if (!ok) {
      return new Build(false, out, null);
    }
    Process save = new ProcessBuilder(cli(where, "save", image)).start();
    ImageTree tree;
    try (InputStream in = save.getInputStream()) {
      tree = ImageTree.fromSave(in);
    }
    assertThat(save.waitFor()).as("docker save " + image).isZero();
    return new Build(true, out, tree);
  }

  /**
   * A {@code POST /build} to the embedded engine with the whole context, unfiltered (the docker CLI
   * would apply {@code .dockerignore} itself), so that the engine's own ignore rules are the ones
   * tested.
   */
  private List<String> apiBuild(
      DifferentialCase c, Path context, String image, Map<String, String> args) throws Exception {
    Path tar = dir.resolve("ctx-" + c.name() + ".tar");
    run(
        new String[] {
          "tar",
          "--owner=0",
          "--group=0",
          "--numeric-owner",
          "-C",
          context.toString(),
          "-cf",
          tar.toString(),
          "."
        },
        false);
    StringBuilder query =
        new StringBuilder("/build?rm=1&forcerm=1&t=")
            .append(enc(image))
            .append("&dockerfile=")
            .append(enc(c.dockerfile()))
            .append("&buildargs=")
            .append(enc(JSON.writeValueAsString(args)));
    c.target().ifPresent(t -> query.append("&target=").append(enc(t)));
    if (c.secret().isPresent()) {
      // What docker build --secret gives BuildKit, through the engine's own parameter.
      Map<String, String> secret = new java.util.HashMap<>();
      for (String kv : c.secret().get().split(",")) {
        String[] p = kv.split("=", 2);
        secret.put(p[0], p[1]);
      }
      query
          .append("&jstack-secrets=")
          .append(
              enc(
                  JSON.writeValueAsString(
                      Map.of(
                          secret.get("id"),
                          context.resolve(secret.get("src")).toAbsolutePath().toString()))));
    }
    return List.of(
        "curl",
        "-sS",
        "--fail-with-body",
        "--unix-socket",
        dir.resolve("engine.sock").toString(),
        "-X",
        "POST",
        "-H",
        "Content-Type: application/x-tar",
        "--data-binary",
        "@" + tar,
        "http://localhost" + query);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private String url(DifferentialCase c) {
    return "http://127.0.0.1:" + files.getAddress().getPort() + "/" + c.name();
  }

  /** Serves {@code CASE/served/FILE} as {@code /CASE/FILE}. */
  private void serve(com.sun.net.httpserver.HttpExchange x) throws java.io.IOException {
    try (x) {
      String[] parts = x.getRequestURI().getPath().split("/", 3);
      Path f =
          parts.length == 3 && !parts[1].contains("..") && !parts[2].contains("..")
              ? DifferentialCase.ROOT.resolve(parts[1]).resolve("served").resolve(parts[2])
              : null;
      if (f == null || !Files.isRegularFile(f)) {
        x.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(f);
      x.getResponseHeaders().add("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT");
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
    }
  }

  private static String tail(String out) {
    String t = out.strip();
    int from = Math.max(0, t.length() - 600);
    return t.substring(from).replace('\n', ' ');
  }

  private static String[] cli(String on, String... args) {
    List<String> cmd = new ArrayList<>(List.of(on == null ? DOCKER_20 : "docker"));
    if (on != null) {
      cmd.addAll(List.of("-H", on));
    }
    cmd.addAll(List.of(args));
    return cmd.toArray(String[]::new);
  }

  private static void run(String[] cmd, boolean mayFail) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (!mayFail) {
      assertThat(rc).as(String.join(" ", cmd) + ": " + out).isZero();
    }
  }
}
