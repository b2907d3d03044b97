package io.jstack.engine.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.BuildSpec;
import io.jstack.engine.Engine.PullProgress;
import io.jstack.engine.EngineException;
import io.jstack.engine.EventStream;
import io.jstack.engine.ImageInfo;
import io.jstack.engine.testing.image.TestImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract's scenarios about images (load, tag, push, pull, build) and events. */
public abstract class ImageAndEventScenarios extends NetworkAndVolumeScenarios {

  // ---------------------------------------------------------------- images

  @Test
  @Covers({"loadImages", "image", "images", "removeImage"})
  void images_loadFindListAndRemove() throws IOException {
    String tag = "jstack-contract/loaded-" + scratch.run() + ":1";
    scratch.image(tag);
    Map<String, String> labels = Map.of("io.jstack.contract.image", scratch.run());

    List<String> loaded =
        engine.loadImages(new ByteArrayInputStream(TestImages.dockerArchive(tag, labels)));

    assertThat(loaded).containsExactly(tag);
    ImageInfo image = engine.image(tag).orElseThrow();
    String id = image.id();
    assertThat(id).matches("sha256:[0-9a-f]{64}");
    assertThat(image.tags()).containsExactly(tag);
    assertThat(image.labels()).containsAllEntriesOf(labels);
    assertThat(engine.image(id)).map(ImageInfo::tags).contains(List.of(tag));
    assertThat(engine.images(Map.of())).extracting(ImageInfo::id).contains(id);
    assertThat(engine.images(labels)).extracting(ImageInfo::id).containsExactly(id);
    assertThat(engine.images(Map.of("io.jstack.contract.image", "other"))).isEmpty();

    engine.removeImage(tag);
    assertThat(engine.image(tag)).isEmpty();
    assertThat(engine.image(id)).isEmpty();
    String absent = "jstack-contract/absent-" + scratch.run() + ":1";
    assertThat(engine.image(absent)).isEmpty();
    assertThatThrownBy(() -> engine.removeImage(absent))
        .isInstanceOf(EngineException.NotFound.class);
  }

  @Test
  @Covers({"tagImage", "image", "removeImage", "createContainer", "loadImages"})
  void tagImage_addsAName_andRemovingOneUntagsUnlessItIsTheLastOfAnImageInUse() throws IOException {
    String tag = "jstack-contract/tagged-" + scratch.run() + ":1";
    String other = "jstack-contract/tagged-" + scratch.run() + ":other";
    scratch.image(tag);
    scratch.image(other);
    engine.loadImages(new ByteArrayInputStream(TestImages.dockerArchive(tag, Map.of())));
    String id = engine.image(tag).orElseThrow().id();

    engine.tagImage(tag, other);
    assertThat(engine.image(other)).map(ImageInfo::id).contains(id);
    assertThat(engine.image(id).orElseThrow().tags()).containsExactlyInAnyOrder(tag, other);
    assertThatThrownBy(() -> engine.removeImage(id))
        .as("an id with several tags")
        .isInstanceOf(EngineException.Conflict.class);

    String user = scratch.name("user");
    engine.createContainer(Specs.with(spec(user, Program.SERVE), "image", other));
    engine.removeImage(other); // untags: the image has another tag
    assertThat(engine.image(other)).isEmpty();
    assertThatThrownBy(() -> engine.removeImage(tag))
        .as("the last tag of an image a container was created from")
        .isInstanceOf(EngineException.Conflict.class);

    engine.removeContainer(user, false, false);
    engine.removeImage(tag);
    assertThat(engine.image(id)).isEmpty();
    String absent = "jstack-contract/absent-" + scratch.run() + ":1";
    assertThatThrownBy(() -> engine.tagImage(absent, other))
        .isInstanceOf(EngineException.NotFound.class);
  }

  @Test
  @Covers({"pushImage", "pullImage", "tagImage", "removeImage", "image", "loadImages"})
  void push_thenPull_throughARegistry() throws IOException {
    String local = "jstack-contract/pushed-" + scratch.run() + ":1";
    String remote = registryHost() + "/contract/pushed-" + scratch.run() + ":1";
    scratch.image(local);
    scratch.image(remote);
    engine.loadImages(new ByteArrayInputStream(TestImages.dockerArchive(local, Map.of())));
    String id = engine.image(local).orElseThrow().id();
    engine.tagImage(local, remote);
    List<PullProgress> pushed = new ArrayList<>();

    String digest = engine.pushImage(remote, pushed::add);

    assertThat(pushed).isNotEmpty();
    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    assertThat(engine.pushImage(remote, p -> {})).as("the same image again").isEqualTo(digest);
    engine.removeImage(remote);
    assertThat(engine.image(remote)).isEmpty();
    List<PullProgress> pulled = new ArrayList<>();
    engine.pullImage(remote, pulled::add);
    assertThat(pulled).isNotEmpty();
    assertThat(engine.image(remote)).map(ImageInfo::id).contains(id);
    // What the digest names is what was pushed.
    String pinned = remote.substring(0, remote.lastIndexOf(':')) + "@" + digest;
    engine.pullImage(pinned, p -> {});
    assertThat(engine.image(pinned)).map(ImageInfo::id).contains(id);

    String notLocal = registryHost() + "/contract/not-local-" + scratch.run() + ":1";
    // dockerd answers 200 and reports it in the stream: DockerEngine says EngineException.
    assertThatThrownBy(() -> engine.pushImage(notLocal, p -> {}))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("does not exist locally");
  }

  @Test
  @Covers({"pullImage", "image"})
  void pull_ofAReferenceTheRegistryLacks_isNotFound() {
    String neverPushed = registryHost() + "/contract/absent-" + scratch.run() + ":1";

    assertThatThrownBy(() -> engine.pullImage(neverPushed, p -> {}))
        .isInstanceOf(EngineException.NotFound.class);
    assertThat(engine.image(neverPushed)).isEmpty();
  }

  @Test
  @Covers({"buildImage", "image", "removeImage"})
  void build_fromADockerfile_givesATaggedImageWithTheLabels() throws IOException {
    String tag = "jstack-contract/built-" + scratch.run() + ":1";
    scratch.image(tag);
    Path context = Files.createTempDirectory("jstack-contract-build-");
    try {
      Files.writeString(
          context.resolve("Dockerfile"), "FROM " + busyboxImage() + "\nCMD [\"sh\"]\n");
      Map<String, String> labels = Map.of("io.jstack.contract.built", scratch.run());
      BuildSpec spec =
          new BuildSpec(
              context,
              null,
              null,
              List.of(tag),
              Map.of(),
              null,
              labels,
              false,
              false,
              null,
              null,
              List.of(),
              null,
              Map.of(),
              List.of());
      List<String> progress = new ArrayList<>();

      String id = engine.buildImage(spec, progress::add);

      assertThat(progress).isNotEmpty();
      ImageInfo built = engine.image(tag).orElseThrow();
      assertThat(built.id()).isEqualTo(id);
      assertThat(built.labels()).containsAllEntriesOf(labels);
      engine.removeImage(tag);
      assertThat(engine.image(tag)).isEmpty();
    } finally {
      Files.deleteIfExists(context.resolve("Dockerfile"));
      Files.deleteIfExists(context);
    }
  }

  // ---------------------------------------------------------------- events

  @Test
  @Covers({
    "events",
    "createNetwork",
    "createContainer",
    "startContainer",
    "killContainer",
    "removeContainer"
  })
  void events_ofLabelledContainers_inOrder_andNoOthers() throws Exception {
    Map<String, String> watched = Map.of("io.jstack.contract.events", scratch.run());
    BlockingQueue<EventStream.Event> seen = new ArrayBlockingQueue<>(100);
    try (EventStream events = engine.events(watched)) {
      Thread reader = new Thread(() -> readInto(events, seen), "contract-events");
      reader.setDaemon(true);
      reader.start();
      Thread.sleep(200); // dockerd subscribes once the response has begun

      Map<String, String> netLabels = new HashMap<>(watched);
      engine.createNetwork(network(scratch.name("evnet"), false, netLabels));
      created(Program.SERVE, "unwatched", Map.of());
      String name = scratch.name("watched");
      Map<String, String> labels = new HashMap<>(scratch.labels());
      labels.putAll(watched);
      String id =
          engine.createContainer(
              Specs.with(spec(name, Program.SERVE), "labels", Map.copyOf(labels)));
      engine.startContainer(id);
      engine.killContainer(id, "SIGKILL");
      blocking(() -> engine.waitContainer(id));
      engine.removeContainer(id, false, false);

      List<EventStream.Event> got = new ArrayList<>();
      while (got.stream().noneMatch(e -> e.action().equals("destroy"))) {
        EventStream.Event e = seen.poll(BLOCKING.toSeconds(), TimeUnit.SECONDS);
        assertThat(e).as("the next event after %s", got).isNotNull();
        got.add(e);
      }
      assertThat(got)
          .allSatisfy(
              e -> {
                assertThat(e.type()).isEqualTo("container");
                assertThat(e.id()).isEqualTo(id);
                assertThat(e.attributes()).containsEntry("name", name);
              });
      assertThat(got.stream().map(EventStream.Event::action))
          .filteredOn(a -> List.of("create", "start", "die", "destroy").contains(a))
          .containsExactly("create", "start", "die", "destroy");
      assertThat(got.stream().map(EventStream.Event::action))
          .as("a kill is announced before the container dies")
          .filteredOn(a -> List.of("kill", "die").contains(a))
          .containsExactly("kill", "die");
      assertThat(got)
          .filteredOn(e -> e.action().equals("kill"))
          .singleElement()
          .satisfies(e -> assertThat(e.attributes()).containsEntry("signal", "9"));
      assertThat(got)
          .filteredOn(e -> e.action().equals("die"))
          .singleElement()
          .satisfies(e -> assertThat(e.attributes()).containsEntry("exitCode", "137"));
    }
  }
}
