package io.jstack.engine.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerInfo.State;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.EventStream;
import io.jstack.engine.ListFilters;
import io.jstack.engine.LogStream;
import io.jstack.engine.LogStream.Line;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.TarWriter;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.VolumeSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the scenarios of {@link EngineContract} stand on: the engine under test (started once,
 * called through a recording proxy), names and labels of the run and the removal of what each
 * scenario made ({@link Scratch}), the checks of the suite itself (every {@link
 * io.jstack.engine.Engine} method covered, and called), and the helpers scenarios share.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ScenarioCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class ContractFixture {
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  static final Duration BLOCKING = Duration.ofSeconds(60);

  final Scratch scratch = new Scratch();
  private final Map<String, String> knownFailures = new LinkedHashMap<>();
  private Engine raw;
  private RecordingEngine recorder;

  /** The engine under test, called through a recording proxy. */
  protected Engine engine;

  // ---------------------------------------------------------------- what a subclass says

  /** Starts (or connects to) the engine under test; called once, before the first scenario. */
  protected abstract Engine startEngine() throws Exception;

  /**
   * Stops what {@link #startEngine} started; called once after the last scenario, also when the
   * start failed part way ({@code engine} is then null).
   */
  protected void stopEngine(Engine engine) throws Exception {
    if (engine instanceof AutoCloseable c) {
      c.close();
    }
  }

  /** Where the engine pushes images to and pulls them from: {@code host:port}. */
  protected abstract String registryHost();

  /** A local image with busybox ({@code sh}, {@code sleep}, {@code echo}): what containers run. */
  protected String busyboxImage() {
    return "jstack-examples/busybox:latest";
  }

  /**
   * Scenarios (by method name) this engine is known to fail, each with why; empty for an engine
   * that agrees with dockerd in every scenario.
   */
  protected Map<String, String> knownDifferences() {
    return Map.of();
  }

  // ---------------------------------------------------------------- the suite's own checks

  @BeforeAll
  final void start() throws Exception {
    raw = startEngine();
    recorder = new RecordingEngine(raw);
    engine = recorder.engine();
  }

  @AfterEach
  final void cleanUp() {
    List<String> failures = scratch.cleanUp(raw);
    assertThat(failures).as("what the scenario left and could not be removed").isEmpty();
  }

  @AfterAll
  final void finish() throws Exception {
    try {
      if (raw == null) {
        return; // it did not start: every scenario failed already
      }
      assertThat(scratch.leftovers(raw)).as("what the run left on " + engineName()).isEmpty();
      Set<String> exempt = new TreeSet<>();
      knownFailures.keySet().forEach(s -> exempt.addAll(covered(scenario(s))));
      scenarios().stream()
          .filter(s -> !knownFailures.containsKey(s.getName()))
          .forEach(s -> exempt.removeAll(covered(s)));
      Set<String> required = new TreeSet<>(EngineMethods.all());
      required.removeAll(exempt);
      assertThat(recorder.ever())
          .as(
              "the Engine methods called on %s (methods only known-failing scenarios cover: %s)",
              engineName(), exempt)
          .containsAll(required);
    } finally {
      stopEngine(raw);
    }
  }

  @Test
  @Covers({})
  void everyEngineMethod_isCoveredByAScenario_andEveryNameIsAMethod() {
    Set<String> named = new TreeSet<>();
    for (Method s : scenarios()) {
      named.addAll(covered(s));
    }
    assertThat(EngineMethods.all()).as("Engine methods no scenario covers").isSubsetOf(named);
    assertThat(named).as("@Covers names that are no Engine method").isSubsetOf(EngineMethods.all());
  }

  RecordingEngine recorder() {
    return recorder;
  }

  String engineName() {
    return raw == null ? getClass().getSimpleName() : raw.describe();
  }

  /** Checks that {@code scenario} called every method it covers. */
  void checkCalled(Method scenario) {
    assertThat(recorder.sinceReset())
        .as("the Engine methods %s called (it covers %s)", scenario.getName(), covered(scenario))
        .containsAll(covered(scenario));
  }

  void failedAsKnown(Method scenario, String why, Throwable failure) {
    knownFailures.put(scenario.getName(), why);
    System.out.println(
        "[engine contract] "
            + engineName()
            + ": "
            + scenario.getName()
            + " fails as known ("
            + why
            + "): "
            + failure.getClass().getSimpleName()
            + ": "
            + String.valueOf(failure.getMessage())
                .lines()
                .filter(l -> !l.isBlank())
                .findFirst()
                .orElse("")
                .strip());
  }

  private List<Method> scenarios() {
    List<Method> all = new ArrayList<>();
    for (Class<?> c = getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          assertThat(m.getAnnotation(Covers.class))
              .as("scenario %s says what it covers (@Covers)", m.getName())
              .isNotNull();
          all.add(m);
        }
      }
    }
    return all;
  }

  private Method scenario(String name) {
    return scenarios().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("known difference of no scenario: " + name));
  }

  private static Set<String> covered(Method scenario) {
    return new TreeSet<>(Arrays.asList(scenario.getAnnotation(Covers.class).value()));
  }

  // ---------------------------------------------------------------- helpers for scenarios

  ContainerSpec spec(String name, Program program) {
    return Specs.with(
        ContainerSpec.of(name, busyboxImage(), scratch.labels()), "command", program.command());
  }

  static ContainerSpec onNetwork(ContainerSpec spec, String network) {
    return Specs.with(
        spec,
        "networks",
        Map.of(network, ContainerSpec.NetworkAttachment.aliased(List.of(spec.name()))));
  }

  static ContainerSpec.Mount volumeMount(@Nullable String source, String target) {
    Map<String, Object> m = new HashMap<>();
    m.put("type", "volume");
    m.put("source", source);
    m.put("target", target);
    return Specs.record(ContainerSpec.Mount.class, m);
  }

  /** Creates a container of the run with these labels too; returns its name. */
  String created(Program program, String what, Map<String, String> labels) {
    String name = scratch.name(what);
    Map<String, String> all = new HashMap<>(scratch.labels());
    all.putAll(labels);
    engine.createContainer(Specs.with(spec(name, program), "labels", Map.copyOf(all)));
    return name;
  }

  /**
   * Creates and starts a container of the run, and for a program that runs until stopped waits
   * until it is ready (below); returns its id.
   */
  String started(Program program, String what) {
    String id = engine.createContainer(spec(scratch.name(what), program));
    engine.startContainer(id);
    if (program.exitCode() == null) {
      awaitReady(id, 1);
    }
    return id;
  }

  /**
   * Waits until a container running {@link Program#SERVE} has said {@code ready} {@code starts}
   * times: then its shell has set its trap, and it exits 0 on SIGTERM (before, SIGTERM to PID 1 is
   * ignored, and a stop ends with SIGKILL after its timeout).
   */
  void awaitReady(String id, int starts) {
    Awaitility.await()
        .atMost(BLOCKING)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                lines(id, LogStream.Options.all()).stream()
                        .filter(l -> l.text().equals("ready"))
                        .count()
                    >= starts);
  }

  State state(String id) {
    return engine.container(id).orElseThrow().state();
  }

  /** The names of the run's containers that also carry {@code labels}. */
  List<String> names(Map<String, String> labels) {
    Map<String, String> all = new HashMap<>(scratch.labels());
    all.putAll(labels);
    return engine.containers(all).stream().map(ContainerInfo::name).toList();
  }

  List<String> networkNames(Map<String, String> labels) {
    Map<String, String> all = new HashMap<>(scratch.labels());
    all.putAll(labels);
    return engine.networks(all).stream().map(NetworkInfo::name).toList();
  }

  List<String> volumeNames(Map<String, String> labels) {
    Map<String, String> all = new HashMap<>(scratch.labels());
    all.putAll(labels);
    return engine.volumes(all).stream().map(VolumeInfo::name).toList();
  }

  List<String> networkNames(ListFilters filters) {
    return engine.networks(filters).stream().map(NetworkInfo::name).toList();
  }

  List<String> volumeNames(ListFilters filters) {
    return engine.volumes(filters).stream().map(VolumeInfo::name).toList();
  }

  NetworkSpec network(String name, boolean internal, Map<String, String> labels) {
    Map<String, String> all = new HashMap<>(scratch.labels());
    all.putAll(labels);
    return new NetworkSpec(name, null, Map.of(), internal, false, false, List.of(), all);
  }

  VolumeSpec volume(String name, Map<String, String> labels) {
    Map<String, String> all = new HashMap<>(scratch.labels());
    all.putAll(labels);
    return new VolumeSpec(name, null, Map.of(), all);
  }

  /** Every line of a container's output, read to the end. */
  List<Line> lines(String id, LogStream.Options options) {
    return blocking(
        () -> {
          List<Line> lines = new ArrayList<>();
          try (LogStream s = engine.logs(id, options)) {
            for (Line l = s.next(); l != null; l = s.next()) {
              lines.add(l);
            }
          }
          return lines;
        });
  }

  /** A call that may block, failed if it has not returned within a minute. */
  static <T> T blocking(org.junit.jupiter.api.function.ThrowingSupplier<T> call) {
    return assertTimeoutPreemptively(BLOCKING, call);
  }

  static void readInto(EventStream events, BlockingQueue<EventStream.Event> into) {
    try {
      for (EventStream.Event e = events.next(); e != null; e = events.next()) {
        into.add(e);
      }
    } catch (EngineException closed) {
      // The stream was closed under the reader.
    }
  }

  static byte[] tar(String name, String content) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    TarWriter.file(tar, name, 0644, 0, 0, content.getBytes(StandardCharsets.UTF_8));
    TarWriter.end(tar);
    return tar.toByteArray();
  }

  /** The regular files of a tar stream, by name, with their text. */
  static Map<String, String> untar(InputStream in) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
      if (e.isFile()) {
        files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return files;
  }
}
