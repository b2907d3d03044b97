package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ImageReference;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.image.LocalRegistry;
import io.jstack.engine.testing.image.TestImages;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.api.EngineServer;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.engine.EmbeddedEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull, a load and a build that run out of space on a 64 MiB data root (a tmpfs), through the
 * real {@code docker} CLI against the engine's socket: each fails with one line naming the data
 * root and the sizes, leaves every blob whole, no tag of an incomplete image, no half-unpacked
 * layer, step container or temporary; and once a filler file is removed the next pull, and the same
 * operation again, succeed. A container's create whose record does not fit leaves no mounted root,
 * bundle or anonymous volume.
 */
class FullDiskIT {
  private static final String FULL = "no space left on the data root ";

  static LocalRegistry registry;
  static TestImages.Built medium;
  static TestImages.Built zeros;
  @TempDir static Path images;
  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  private Path root;
  private boolean mounted;
  private @Nullable EmbeddedEngine engine;
  private @Nullable EngineServer server;

  @BeforeAll
  static void push() throws Exception {
    registry = LocalRegistry.start();
    push(TestImages.ociLayout(images.resolve("small"), "small", 0), "small");
    medium = TestImages.ociLayout(images.resolve("medium"), "medium", 12);
    push(medium, "medium");
    zeros = TestImages.ociLayoutOfZeros(images.resolve("zeros"), "zeros", 40);
    push(zeros, "zeros");
    TestImages.ociLayout(images.resolve("large"), "large", 16);
    run(
        "skopeo",
        "--insecure-policy",
        "copy",
        "oci:" + images.resolve("large") + ":large",
        "docker-archive:" + images.resolve("large.tar") + ":it/full:large");
  }

  private static void push(TestImages.Built built, String tag) throws Exception {
    run(
        "skopeo",
        "--insecure-policy",
        "copy",
        "--dest-tls-verify=false",
        "oci:" + images.resolve(tag) + ":" + tag,
        "docker://" + image(tag));
  }

  private static String image(String tag) {
    return registry.host + "/it/full:" + tag;
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  /** A 64 MiB tmpfs as the data root, and an engine on it served on {@code dir/engine.sock}. */
  @BeforeEach
  void engineOnASmallDisk() throws Exception {
    root = Files.createDirectory(dir.resolve("root"));
    run("mount", "-t", "tmpfs", "-o", "size=64m,mode=0711", "jstack-full-disk", root.toString());
    mounted = true;
    engine = new EmbeddedEngine(new DataRoot(root), RuntimeTools.detect());
    engine.supervise(Duration.ofMillis(200), List.of());
    server = EngineServer.start(engine, dir.resolve("engine.sock"), null, line -> {});
  }

  /** Stops the server and the engine, and unmounts the data root, also when one of them fails. */
  @AfterEach
  void unmount() throws Exception {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      try {
        if (engine != null) {
          engine.stopSupervising();
          // What a failed test created: its mounted root would stay below the data root.
          engine.list().forEach(c -> engine.remove(c.record().id(), true, true));
          engine.networks().list().forEach(engine.networks()::remove);
        }
      } finally {
        if (mounted) {
          unmountTheDataRoot();
        }
      }
    }
  }

  /**
   * Empties the data root and unmounts it lazily: this JVM keeps the store's lock file open for its
   * life ({@code Locks}), so a plain unmount finds it busy. Nothing may be mounted below it (a step
   * container's root), which a lazy unmount would take along unseen.
   */
  private void unmountTheDataRoot() throws Exception {
    try {
      assertThat(mountsBelowTheDataRoot()).as("mounts left below the data root").isEmpty();
      try (Stream<Path> all = Files.list(root)) {
        for (Path p : (Iterable<Path>) all::iterator) {
          io.jstack.runtime.image.internal.LayerUnpacker.removeTree(p);
        }
      }
    } finally {
      run("umount", "--lazy", root.toString());
    }
  }

  private List<String> mountsBelowTheDataRoot() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
        .map(l -> l.split(" ")[1])
        .filter(m -> m.startsWith(root + "/"))
        .toList();
  }

  @Test
  void pull_largerThanWhatIsFree_failsBeforeWritingAndWorksOnceThereIsSpace() throws Exception {
    fill(44);

    String said = failing("pull", image("medium"));

    // Its layers' blobs, and at least as much again unpacked.
    long lacking = 0;
    for (String layer : medium.layerDigests()) {
      lacking += 2 * Files.size(images.resolve("medium/blobs/sha256/" + layer.substring(7)));
    }
    assertSizes(oneLine(said, "pulling " + image("medium")), lacking >> 20);
    assertNothingHalfWritten("medium");
    freeAndPull();
    docker("pull", image("medium"));
    assertWhole();
  }

  @Test
  void pull_whoseLayerUnpacksLargerThanItsManifestSays_failsMidWayAndLeavesNoHalfLayer()
      throws Exception {
    fill(36);

    String said = failing("pull", image("zeros"));

    String line = oneLine(said, "pulling " + image("zeros"));
    assertThat(line).contains("(needs more than the ").contains(" MiB free)");
    // Its small top layer unpacks in parallel with the base, and may be there, whole.
    assertNothingHalfWritten("zeros", zeros.diffIds()[1]);
    assertThat(engine().images().layer(zeros.diffIds()[0])).as("the layer of zeros").isEmpty();
    freeAndPull();
    docker("pull", image("zeros"));
    assertWhole();
  }

  @Test
  void load_ofAnArchiveTooLarge_failsMidWayAndWorksOnceThereIsSpace() throws Exception {
    fill(36);
    long archive = Files.size(images.resolve("large.tar"));

    String said = failing("load", "-i", images.resolve("large.tar").toString());

    // Staged in the store's tmp/ (its blobs linked from there), then its layers unpacked.
    assertSizes(oneLine(said, "loading an image archive"), 2 * archive >> 20);
    assertNothingHalfWritten("large");
    freeAndPull();
    docker("load", "-i", images.resolve("large.tar").toString());
    assertWhole();
  }

  @Test
  void build_ofAStepTooLarge_failsAndRemovesItsContextAndContainers() throws Exception {
    Path context = Files.createDirectory(dir.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY big.bin /big.bin\n");
    byte[] big = new byte[12 << 20];
    new Random(7).nextBytes(big);
    Files.write(context.resolve("big.bin"), big);
    fill(36);

    String said = failing("build", "-t", "it/full:built", context.toString());

    String line = oneLine(said, "building it/full:built");
    assertThat(line).containsPattern("\\((needs about \\d+ MiB more, |needs more than the )");
    assertNothingHalfWritten("built");
    try (Stream<Path> left = Files.list(root)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("the build's context, on the data root")
          .noneMatch(n -> n.startsWith("build-"));
    }
    freeAndPull();
    docker("build", "-t", "it/full:built", context.toString());
    assertWhole();
  }

  @Test
  void create_whoseRecordDoesNotFit_leavesNoMountBundleOrVolumeAndWorksOnceThereIsSpace()
      throws Exception {
    docker("pull", image("small"));
    // Labels are kept in the record alone: about 2 MiB of them, with 512 KiB free, let the bundle
    // and its mounted root be made and the record fail.
    Path labels = dir.resolve("labels");
    String value = "x".repeat(40 << 10);
    try (java.io.BufferedWriter w = Files.newBufferedWriter(labels)) {
      for (int i = 0; i < 48; i++) {
        w.write("it.full.label" + i + "=" + value + "\n");
      }
    }
    String[] create = {
      "create",
      "--name",
      "full-create",
      "--network",
      "none",
      "-v",
      "/data",
      "--label-file",
      labels.toString(),
      image("small"),
      "true"
    };
    fillLeaving(512 << 10);

    String said = failing(create);

    oneLine(said, "creating container full-create");
    assertThat(mountsBelowTheDataRoot()).as("mounts left below the data root").isEmpty();
    assertThat(entries(root.resolve("containers"))).as("container directories").isEmpty();
    assertThat(entries(root.resolve("volumes"))).as("volume directories").isEmpty();
    assertThat(engine().list()).as("containers").isEmpty();
    Files.delete(root.resolve("filler"));
    String id = docker(create).strip();
    assertThat(engine().list()).extracting(c -> c.record().id()).containsExactly(id);
    assertThat(entries(root.resolve("volumes"))).as("its anonymous volume").hasSize(1);
    docker("rm", "-v", "full-create");
    assertThat(mountsBelowTheDataRoot()).as("mounts left below the data root").isEmpty();
    assertThat(entries(root.resolve("volumes"))).as("volume directories").isEmpty();
  }

  /** The names in directory {@code d}; none when it is not there. */
  private static List<String> entries(Path d) throws IOException {
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> all = Files.list(d)) {
      return all.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** The store after the last operation succeeded: every blob its images reach, and whole. */
  private void assertWhole() throws Exception {
    java.util.Set<String> reached = new java.util.HashSet<>();
    ImageStore store = engine().images();
    for (String m : store.tags().values()) {
      ImageStore.Image i = store.image(m);
      reached.add(m);
      reached.add(i.configDigest());
      i.layers().forEach(l -> reached.add(l.digest()));
    }
    int checked = StoreChecks.checkConsistent(root);
    System.out.println("checked " + checked + " blobs, " + reached.size() + " reached by tags");
    assertThat(checked).isGreaterThanOrEqualTo(reached.size());
    assertThat(reached).allMatch(store::hasBlob);
  }

  /** Writes {@code mib} MiB to the data root: what else lives on its disk. */
  private void fill(int mib) throws IOException {
    try (OutputStream out = Files.newOutputStream(root.resolve("filler"))) {
      byte[] chunk = new byte[1 << 20];
      for (int i = 0; i < mib; i++) {
        out.write(chunk);
      }
    }
  }

  /** Writes to the data root until {@code bytes} are left free there. */
  private void fillLeaving(long bytes) throws IOException {
    long left = Files.getFileStore(root).getUsableSpace() - bytes;
    try (OutputStream out = Files.newOutputStream(root.resolve("filler"))) {
      byte[] chunk = new byte[1 << 16];
      for (; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
    assertThat(Files.getFileStore(root).getUsableSpace()).isBetween(bytes - 8192, bytes + 8192);
  }

  /** Removes the filler, then pulls the small image: the next operation works. */
  private void freeAndPull() throws Exception {
    Files.delete(root.resolve("filler"));
    docker("pull", image("small"));
    assertThat(engine().images().resolve(ImageReference.parse(image("small")))).isPresent();
  }

  private EmbeddedEngine engine() {
    assertThat(engine).isNotNull();
    return engine;
  }

  /**
   * Every blob whole, no temporary, no tag of {@code tag}, no layer directory but those of tagged
   * images and the failed image's own that were whole before it failed ({@code wholeLayers}), no
   * container (a build's step containers).
   */
  private void assertNothingHalfWritten(String tag, String... wholeLayers) throws Exception {
    int blobs = StoreChecks.checkConsistent(root);
    System.out.println("checked " + blobs + " blobs after the failure to write " + tag);
    ImageStore store = engine().images();
    assertThat(store.tags().keySet()).noneMatch(t -> t.endsWith(":" + tag));
    List<String> tagged = new ArrayList<>(List.of(wholeLayers));
    store.tags().values().forEach(m -> tagged.addAll(store.image(m).diffIds()));
    try (Stream<Path> layers = Files.list(store.root().resolve("layers/sha256"))) {
      assertThat(layers.map(p -> "sha256:" + p.getFileName()))
          .as("layer directories none of the tagged images has")
          .allMatch(tagged::contains);
    }
    assertThat(engine().list()).as("containers").isEmpty();
  }

  /**
   * Asserts a message's "needs about N MiB more, F MiB free": F as the disk says, N + F the MiB
   * {@code total} (each rounded, the one up, the other down).
   */
  private void assertSizes(String line, long total) throws IOException {
    Matcher m = Pattern.compile("\\(needs about (\\d+) MiB more, (\\d+) MiB free\\)").matcher(line);
    assertThat(m.find()).as(line).isTrue();
    long more = Long.parseLong(m.group(1));
    long free = Long.parseLong(m.group(2));
    assertThat(free).as(line).isEqualTo(Files.getFileStore(root).getUsableSpace() >> 20);
    assertThat(more + free).as(line).isBetween(total - 1, total + 1);
  }

  /**
   * The one line of the CLI's output that says the data root is full, as {@link DiskFull} words it,
   * after {@code start}; it names the data root and says what to do.
   */
  private String oneLine(String said, String start) {
    List<String> lines = said.lines().filter(l -> l.contains(FULL)).toList();
    assertThat(lines).as(said).hasSize(1);
    String line = lines.get(0);
    assertThat(line)
        .as(said)
        .contains(start + ": " + FULL + root + " (")
        .endsWith("); free space there or set JSTACK_DATA_ROOT");
    System.out.println(line);
    return line;
  }

  /** Runs the docker CLI against the engine and expects it to fail; what it printed. */
  private String failing(String... args) throws Exception {
    Process p = cli(args).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isNotZero();
    return out;
  }

  /** Runs the docker CLI against the engine; fails unless it exits 0. */
  private String docker(String... args) throws Exception {
    Process p = cli(args).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", args) + ": " + out).isZero();
    return out;
  }

  private ProcessBuilder cli(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of("docker", "-H", "unix://" + dir.resolve("engine.sock")));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // The classic builder's protocol, which the engine serves.
    pb.environment().put("DOCKER_BUILDKIT", "0");
    return pb;
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}
