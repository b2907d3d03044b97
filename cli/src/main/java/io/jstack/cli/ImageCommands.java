package io.jstack.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.cli.internal.PullProgress;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.build.CachePruned;
import io.jstack.runtime.build.ImageBuilder;
import io.jstack.runtime.image.ImageArchives;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.RegistryClient;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jstack image ...}: the embedded engine's image store below the data root ({@code
 * --data-root}, {@code JSTACK_DATA_ROOT}, else {@code /var/lib/jstack}); no Docker involved.
 */
@Command(
    name = "image",
    description =
        "Manage the embedded engine's images (no Docker needed; build uses the engine --engine"
            + " names).",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      ImageBuildCommand.class,
      ImageCommands.Pull.class,
      ImageCommands.Push.class,
      ImageCommands.Ls.class,
      ImageCommands.Inspect.class,
      ImageCommands.Rm.class,
      ImageCommands.Tag.class,
      ImageCommands.Load.class,
      ImageCommands.Save.class,
      ImageCommands.Prune.class
    })
final class ImageCommands implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "name a command: build, pull, push, ls, inspect, rm, tag, load, save or prune");
  }

  /** What every image command shares: the store, the output, reference parsing. */
  @Command
  abstract static class Verb extends Subcommand {
    ImageStore store() {
      return ImageStore.open(root().dataRoot());
    }

    ImageReference reference(String text) {
      try {
        return ImageReference.parse(text);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }

    /** A stored image by name, digest, or (a prefix of) its ID: its manifest digest. */
    String find(ImageStore store, String text) {
      ImageReference ref = ImageStore.isId(text) ? null : reference(text);
      return store
          .find(text)
          .orElseThrow(
              () ->
                  new EngineException(
                      "no image "
                          + (ref == null ? text : ref)
                          + " in the store at "
                          + store.root()
                          + ": pull or load it first"));
    }

    PullProgress progress() {
      Jstack r = root();
      return new PullProgress(r.progress, r.ansi(), out());
    }
  }

  /** Options of the commands that talk to registries. */
  @Command
  abstract static class RegistryVerb extends Verb {
    @Option(
        names = "--platform",
        paramLabel = "OS/ARCH[/VARIANT]",
        description = "The platform to pick from multi-platform images (default: this host's).")
    String platform = RegistryClient.hostPlatform();

    @Option(
        names = "--insecure-registry",
        paramLabel = "HOST[:PORT]",
        description = "Reach this registry over plain HTTP (loopback ones always are); repeatable.")
    List<String> insecure = new ArrayList<>();

    RegistryClient client(ImageStore store, PullProgress progress) {
      RegistryClient.Options o =
          RegistryClient.Options.defaults()
              .withInsecure(Set.copyOf(insecure))
              .withPlatform(platform);
      return new RegistryClient(store, o, progress);
    }
  }

  @Command(
      name = "pull",
      description = "Pull an image from a registry.",
      footer = {"", "Example:", "  jstack image pull 127.0.0.1:5000/team/app:1.4"})
  static final class Pull extends RegistryVerb {
    @Parameters(paramLabel = "IMAGE", description = "[HOST[:PORT]/]NAME[:TAG][@DIGEST]")
    String image;

    @Override
    public Integer call() {
      ImageReference ref = reference(image);
      ImageStore store = store();
      try (PullProgress p = progress()) {
        client(store, p).pull(ref);
      }
      out().println("Status: image is up to date for " + ref);
      return Jstack.EXIT_OK;
    }
  }

  @Command(
      name = "push",
      description = "Push a stored image to a registry.",
      footer = {"", "Example:", "  jstack image push 127.0.0.1:5000/team/app:1.4"})
  static final class Push extends RegistryVerb {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "The stored image.")
    String image;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "TARGET",
        description = "Where to push it (default: its own name).")
    @Nullable String target;

    @Override
    public Integer call() {
      ImageStore store = store();
      ImageReference source = reference(image);
      ImageReference to = target == null ? source : reference(target);
      String digest;
      try (PullProgress p = progress()) {
        digest = client(store, p).push(source, to);
      }
      out().println(to.tag() + ": digest: " + digest);
      return Jstack.EXIT_OK;
    }
  }

  @Command(name = "ls", aliases = "list", description = "List stored images.")
  static final class Ls extends Verb {
    @Option(
        names = {"-q", "--quiet"},
        description = "Only image IDs.")
    boolean quiet;

    @Override
    public Integer call() {
      ImageStore store = store();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"REPOSITORY", "TAG", "IMAGE ID", "SIZE"});
      Set<String> ids = new LinkedHashSet<>();
      Map<String, String> tags = store.tags();
      for (Map.Entry<String, String> t : tags.entrySet()) {
        if (t.getKey().startsWith("@")
            && tags.entrySet().stream()
                .anyMatch(o -> !o.getKey().startsWith("@") && o.getValue().equals(t.getValue()))) {
          continue; // a dangling image given a name since: listed by that name
        }
        ImageStore.Image image = store.image(t.getValue());
        String id = image.configDigest().substring(7, 19);
        long size = image.layers().stream().mapToLong(ImageStore.Layer::size).sum();
        String repo = "<none>";
        String tag = "<none>";
        if (!t.getKey().startsWith("@")) {
          ImageReference ref = ImageReference.parse(t.getKey());
          repo = ImageArchivesNames.shortName(ref);
          tag = ref.tag() != null ? ref.tag() : "<none>"; // a digest reference has none
        }
        ids.add(id);
        rows.add(new String[] {repo, tag, id, String.format("%.1fMB", size / 1e6)});
      }
      if (quiet) {
        ids.forEach(out()::println);
      } else {
        io.jstack.cli.internal.Table.print(out(), rows.stream().map(List::of).toList());
      }
      out().flush();
      return Jstack.EXIT_OK;
    }
  }

  @Command(name = "inspect", description = "Show stored images as JSON.")
  static final class Inspect extends Verb {
    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    public Integer call() throws IOException {
      ImageStore store = store();
      ArrayNode all = JSON.createArrayNode();
      for (String i : images) {
        String manifest = find(store, i);
        ImageStore.Image image = store.image(manifest);
        ObjectNode n = all.addObject();
        n.put("Id", image.configDigest());
        ArrayNode tags = n.putArray("RepoTags");
        ArrayNode digests = n.putArray("RepoDigests");
        store
            .tags()
            .forEach(
                (k, v) -> {
                  if (v.equals(manifest) && !k.startsWith("@")) {
                    ImageReference ref = ImageReference.parse(k);
                    tags.add(k);
                    digests.add(ref.registry() + "/" + ref.repository() + "@" + manifest);
                  }
                });
        n.put("ManifestDigest", manifest);
        n.put("Architecture", image.config().path("architecture").asText());
        n.put("Os", image.config().path("os").asText());
        n.put("Size", image.layers().stream().mapToLong(ImageStore.Layer::size).sum());
        n.set("Config", image.config().path("config"));
        ObjectNode rootfs = n.putObject("RootFS");
        rootfs.put("Type", "layers");
        ArrayNode layers = rootfs.putArray("Layers");
        image.diffIds().forEach(layers::add);
      }
      printJson(all);
      return Jstack.EXIT_OK;
    }
  }

  @Command(
      name = "rm",
      aliases = "remove",
      description = "Remove stored images (and the blobs and layers nothing else uses).")
  static final class Rm extends Verb {
    @Parameters(
        arity = "1..*",
        paramLabel = "IMAGE",
        description = "A name (untags it), or an ID or digest (removes every tag).")
    List<String> images;

    @Override
    public Integer call() {
      ImageStore store = store();
      for (String i : images) {
        if (ImageStore.isId(i)) {
          String manifest = find(store, i);
          store.forget(manifest).forEach(k -> out().println("Untagged: " + k));
          out().println("Deleted: " + manifest);
        } else {
          ImageReference ref = reference(i);
          if (!store.untag(ref)) {
            throw new EngineException("no image " + ref + " in the store at " + store.root());
          }
          out().println("Untagged: " + ref);
        }
      }
      store.collectGarbage();
      out().flush();
      return Jstack.EXIT_OK;
    }
  }

  @Command(name = "tag", description = "Give a stored image another name.")
  static final class Tag extends Verb {
    @Parameters(index = "0", paramLabel = "SOURCE")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET")
    String target;

    @Override
    public Integer call() {
      ImageStore store = store();
      store.tag(reference(target), find(store, source));
      return Jstack.EXIT_OK;
    }
  }

  @Command(
      name = "load",
      description = "Load images from a docker save or OCI archive.",
      footer = {"", "Example:", "  docker save app:1 | jstack image load"})
  static final class Load extends Verb implements OwnProcess {
    @Override
    public @Nullable String whyOwnProcess() {
      return input == null ? "image load reads the archive from standard input" : null;
    }

    @Option(
        names = {"-i", "--input"},
        paramLabel = "FILE",
        description = "The archive (default: standard input).")
    @Nullable Path input;

    @Option(
        names = "--platform",
        paramLabel = "OS/ARCH",
        description = "The platform to pick from multi-platform archives.")
    String platform = RegistryClient.hostPlatform();

    @Override
    public Integer call() throws IOException {
      ImageStore store = store();
      Path archive = input == null ? null : root().caller().resolve(input);
      if (archive != null && !Files.isRegularFile(archive)) {
        throw new ParameterException(spec.commandLine(), "no such archive: " + input);
      }
      try (InputStream in =
          new BufferedInputStream(
              archive == null ? root().stdin() : Files.newInputStream(archive), 1 << 16)) {
        long size = archive == null ? -1 : Files.size(archive);
        for (ImageArchives.Loaded l : ImageArchives.load(store, in, size, platform)) {
          out()
              .println(
                  l.reference() != null
                      ? "Loaded image: " + l.reference().familiar()
                      : "Loaded image ID: " + store.image(l.manifestDigest()).configDigest());
        }
      }
      out().flush();
      return Jstack.EXIT_OK;
    }
  }

  @Command(
      name = "save",
      description = "Save stored images to an archive that docker load and OCI tools read.",
      footer = {"", "Example:", "  jstack image save -o app.tar app:1 && docker load -i app.tar"})
  static final class Save extends Verb {
    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "The archive (default: standard output).")
    @Nullable Path output;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    public Integer call() throws IOException {
      ImageStore store = store();
      List<ImageReference> refs = new ArrayList<>();
      for (String i : images) {
        ImageReference ref = reference(i);
        find(store, i);
        refs.add(ref);
      }
      if (output == null) {
        out().flush();
        OutputStream raw = root().stdio().out();
        OutputStream buffered = new BufferedOutputStream(raw, 1 << 16);
        ImageArchives.save(store, refs, buffered);
        buffered.flush();
        return Jstack.EXIT_OK;
      }
      Path archive = root().caller().resolve(output);
      Path temp = archive.resolveSibling(archive.getFileName() + ".part");
      try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
        ImageArchives.save(store, refs, o);
      } catch (RuntimeException | IOException e) {
        Files.deleteIfExists(temp);
        throw e;
      }
      Files.move(
          temp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return Jstack.EXIT_OK;
    }
  }

  /**
   * Garbage in the store; with {@code --build-cache}, also the build cache, as {@code docker
   * builder prune} (Docker keeps the two apart: {@code docker image prune} never touches the
   * builder's cache, so neither does this without the flag), {@code -a} as its {@code --all}.
   */
  @Command(
      name = "prune",
      description =
          "Remove blobs and layers no stored image uses; with --build-cache, the build cache too.")
  static final class Prune extends Verb {
    @Option(
        names = "--build-cache",
        description =
            "Also reclaim the build cache (as docker builder prune): cached steps of intermediate"
                + " images, and RUN --mount=type=cache directories. The next build runs them again.")
    boolean buildCache;

    @Option(
        names = {"-a", "--all"},
        description = "With --build-cache: every cached step, also those of named images.")
    boolean all;

    @Override
    public Integer call() {
      if (all && !buildCache) {
        throw new ParameterException(
            spec.commandLine(), "--all reclaims the build cache: add --build-cache");
      }
      ImageStore store = store();
      if (buildCache) {
        CachePruned pruned = ImageBuilder.pruneCache(root().dataRoot(), store, all, 0, null);
        if (!pruned.deleted().isEmpty()) {
          out().println("Deleted build cache objects:");
          pruned.deleted().forEach(out()::println);
          out().println();
        }
        out().println("Total reclaimed space: " + humanSize(pruned.reclaimed()));
      }
      out()
          .println(
              "Removed " + store.collectGarbage() + " unused blobs, layers and temporary files");
      out().flush();
      return Jstack.EXIT_OK;
    }
  }

  /** Bytes as Docker's {@code units.HumanSize} prints them: 4 significant digits, 1000-based. */
  static String humanSize(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
    double v = bytes;
    int i = 0;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    String n = String.format(java.util.Locale.ROOT, "%.4g", v);
    if (n.contains(".")) {
      n = n.replaceFirst("0+$", "").replaceFirst("\\.$", "");
    }
    return n + units[i];
  }

  /** Names as Docker prints them. */
  static final class ImageArchivesNames {
    private ImageArchivesNames() {}

    static String shortName(ImageReference ref) {
      return ref.registry().equals(ImageReference.DOCKER_HUB)
          ? ref.repository().replaceFirst("^library/", "")
          : ref.registry() + "/" + ref.repository();
    }
  }
}
