package io.jstack.runtime.build.internal;

import io.jstack.engine.docker.DockerIgnore;
import io.jstack.runtime.build.DockerfileException;
import io.jstack.runtime.build.Mount;
import io.jstack.runtime.container.internal.RootPaths;
import io.jstack.runtime.engine.ContainerSettings;
import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.internal.NativeFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code RUN --mount}s of one step, made ready on the host as BuildKit's Dockerfile frontend
 * asks for them ({@code dockerfile2llb/convert_runmount.go}, {@code convert_secrets.go}) and its
 * solver makes them ({@code solver/llbsolver/mounts/mount.go}): a {@code cache} is a directory kept
 * between builds below {@code <data-root>/build-cache/mounts/} ({@link CacheMounts}); a {@code
 * bind} is a copy of the context's files (so that {@code .dockerignore} holds and a write never
 * reaches the context) or the mounted root of a stage or image, its source resolved inside that
 * root; a {@code tmpfs} a new tmpfs; a {@code secret} a file of the request's on a tmpfs of its
 * own, or an environment variable. None of them is in the step's layer: they are the container's
 * mounts, and {@link MountStubs} takes out the mount points the runtime makes for them. {@link
 * #close} undoes everything, also after a failure.
 */
public final class RunMounts implements AutoCloseable {
  /** Where a mount's {@code from=} takes its files. */
  public interface Sources {
    /**
     * The stage or image {@code from} names, as built so far.
     *
     * @throws DockerfileException when there is no such stage or image
     */
    Source source(String from);
  }

  /**
   * A stage's or image's files.
   *
   * @param reference the image to mount, or null when it has no files (scratch)
   * @param manifest its manifest digest, what a cache started from it is told apart by
   */
  public record Source(@Nullable String reference, String manifest) {}

  /**
   * What the mounts of a step read besides their definitions.
   *
   * @param line the RUN's line, for errors
   * @param workingDir the stage's working directory, for relative targets
   * @param context the build context, with its {@code ignore}
   * @param secrets the request's secrets: id to host file
   * @param cacheRoot where cache mounts are kept ({@code <data-root>/build-cache/mounts})
   */
  public record Inputs(
      int line,
      String workingDir,
      Path context,
      DockerIgnore ignore,
      Map<String, Path> secrets,
      Path cacheRoot,
      Sources sources,
      StepContainers containers) {}

  private final Inputs in;
  private final List<ContainerSettings.Mount> mounts = new ArrayList<>();
  private final List<String> env = new ArrayList<>();
  private final List<String> targets = new ArrayList<>();
  private final List<Path> tmpfs = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();
  private final List<String> helpers = new ArrayList<>();
  private final List<CacheMounts.Claim> claims = new ArrayList<>();

  private RunMounts(Inputs in) {
    this.in = in;
  }

  /**
   * Makes {@code defined} ready; what it made is undone when one fails.
   *
   * @throws DockerfileException naming the RUN's line when a mount cannot be made: a source not in
   *     the context or stage, a required secret not given, a target of {@code /}
   */
  public static RunMounts prepare(List<Mount> defined, Inputs in) throws IOException {
    RunMounts m = new RunMounts(in);
    try {
      for (Mount d : defined) {
        m.add(d);
      }
      return m;
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** The container's mounts, a parent's before those below it. */
  public List<ContainerSettings.Mount> mounts() {
    List<ContainerSettings.Mount> sorted = new ArrayList<>(mounts);
    sorted.sort(
        java.util.Comparator.comparingLong(m -> m.target().chars().filter(c -> c == '/').count()));
    return sorted;
  }

  /** {@code NAME=value} of the secrets given as environment variables. */
  public List<String> env() {
    return List.copyOf(env);
  }

  /** The absolute paths in the container the mounts are at. */
  public List<String> targets() {
    return List.copyOf(targets);
  }

  /**
   * Mounts here-document {@code content} read-only as executable file {@code name} in {@link
   * RunHeredocs#PIPES}, where BuildKit puts a RUN's document that starts with {@code #!}.
   */
  public void pipe(String name, String content) throws IOException {
    if (name.contains("/") || name.equals(".") || name.equals("..")) {
      throw DockerfileException.at(
          in.line(),
          "here-document name " + name + " cannot be a file name",
          "name the here-document with a plain word, e.g. <<EOF");
    }
    Path d = dir();
    Path f = d.resolve(name);
    Files.writeString(f, content, StandardCharsets.UTF_8);
    Files.setAttribute(f, "unix:mode", 0755);
    Files.setAttribute(d, "unix:mode", 0755);
    mount(d, RunHeredocs.PIPES.substring(0, RunHeredocs.PIPES.length() - 1), true);
  }

  /** Notes the mount points the runtime will make, before the container starts. */
  public MountStubsHandle stubs(Path rootfs) throws IOException {
    return new MountStubsHandle(MountStubs.before(rootfs, targets));
  }

  /** The mount points of a RUN, to take out of its changes once it ran. */
  public static final class MountStubsHandle {
    private final MountStubs stubs;

    private MountStubsHandle(MountStubs stubs) {
      this.stubs = stubs;
    }

    /** Takes the mount points out of {@code upper}, the container's upper directory. */
    public void clean(Path upper) throws IOException {
      stubs.clean(upper);
    }
  }

  private void add(Mount d) throws IOException {
    switch (d.type()) {
      case "secret" -> secret(d);
      case "ssh" ->
          throw DockerfileException.at(
              in.line(),
              "RUN --mount=type=ssh is not supported by the jstack engine's builder",
              "build this Dockerfile with --engine docker");
      case "tmpfs" -> {
        Path dir = tmpfs(01777, d.sizeLimit());
        mount(dir, target(d), false);
      }
      case "cache" -> cache(d);
      default -> bind(d);
    }
  }

  private void bind(Mount d) throws IOException {
    String target = target(d);
    String source = "/" + d.source();
    if (d.from().isEmpty()) {
      Path found = RootPaths.resolve(in.context(), source);
      String rel = in.context().relativize(found).toString();
      if (!Files.exists(found, LinkOption.NOFOLLOW_LINKS) || in.ignore().excludes(rel)) {
        throw notFound(d, "the build context");
      }
      Path copy = dir();
      Path into = Files.isDirectory(found, LinkOption.NOFOLLOW_LINKS) ? copy : copy.resolve("file");
      TreeCopy.copy(found, into, rel, in.ignore());
      mount(into, target, d.readOnly());
      return;
    }
    Source s = in.sources().source(d.from());
    if (s.reference() == null) {
      if (!source.equals("/")) {
        throw notFound(d, "stage " + d.from());
      }
      mount(dir(), target, d.readOnly());
      return;
    }
    String helper = in.containers().mounted(s.reference());
    helpers.add(helper);
    Path found = RootPaths.resolve(in.containers().rootfs(helper), source);
    if (!Files.exists(found, LinkOption.NOFOLLOW_LINKS)) {
      throw notFound(d, "stage " + d.from());
    }
    // A write to a read-write bind lands in the helper's upper directory, removed with it.
    mount(found, target, d.readOnly());
  }

  private void cache(Mount d) throws IOException {
    String target = target(d);
    String id = d.id().isEmpty() ? target(d.target()) : d.id();
    String source = "/" + d.source();
    // As BuildKit's frontend: without from=, a source= is a directory of the cache to mount, and
    // the owner and mode settings are for the cache's root only.
    boolean root = Path.of(source).normalize().toString().equals("/");
    Source from = d.from().isEmpty() ? null : in.sources().source(d.from());
    StringBuilder key = new StringBuilder("cache-dir:").append(id);
    if (from != null) {
      key.append(":from=").append(from.manifest()).append(':').append(source);
    } else if (root && (d.uid() >= 0 || d.gid() >= 0 || d.mode() >= 0)) {
      key.append(":owner=")
          .append(d.uid())
          .append(':')
          .append(d.gid())
          .append(':')
          .append(d.mode());
    }
    CacheMounts.Claim claim =
        CacheMounts.claim(
            in.cacheRoot(),
            key.toString(),
            d.sharing().isEmpty() ? "shared" : d.sharing(),
            dir -> fill(dir, d, from, root));
    claims.add(claim);
    Path dir = claim.dir();
    if (from == null && !root) {
      dir = RootPaths.resolve(dir, source);
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw DockerfileException.at(
            in.line(),
            "RUN --mount source " + d.source() + " was not found in cache " + id,
            "make that directory first in a RUN that mounts the whole cache, or leave out source=");
      }
    }
    mount(dir, target, d.readOnly());
  }

  /** Gives a new cache what BuildKit starts one with. */
  private void fill(Path dir, Mount d, @Nullable Source from, boolean root) throws IOException {
    String source = "/" + d.source();
    if (from != null) {
      if (from.reference() != null) {
        String helper = in.containers().mounted(from.reference());
        helpers.add(helper);
        Path found = RootPaths.resolve(in.containers().rootfs(helper), source);
        if (Files.isDirectory(found, LinkOption.NOFOLLOW_LINKS)) {
          TreeCopy.copy(found, dir, null, DockerIgnore.none());
          return;
        }
      }
    } else if (root && (d.uid() >= 0 || d.gid() >= 0 || d.mode() >= 0)) {
      // BuildKit makes the cache's root a directory of that owner and mode (0755 by default).
      Files.setAttribute(dir, "unix:uid", (int) Math.max(d.uid(), 0), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(dir, "unix:gid", (int) Math.max(d.gid(), 0), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(dir, "unix:mode", (int) (d.mode() >= 0 ? d.mode() & 07777 : 0755));
      return;
    }
    Files.setAttribute(dir, "unix:mode", 0755);
  }

  private void secret(Mount d) throws IOException {
    String id = !d.source().isEmpty() ? d.source() : !d.id().isEmpty() ? d.id() : base(d.target());
    Path file = in.secrets().get(id);
    if (file == null) {
      if (!d.required()) {
        return; // BuildKit leaves out an optional secret that was not given.
      }
      throw DockerfileException.at(
          in.line(),
          "secret " + id + " is required but was not given to the build",
          "pass it: docker build --secret id=" + id + ",src=FILE, or the service's build.secrets");
    }
    byte[] value;
    try {
      value = Files.readAllBytes(file);
    } catch (IOException e) {
      throw DockerfileException.at(
          in.line(),
          "secret " + id + " cannot be read from " + file + ": " + e.getMessage(),
          "give a readable file for it");
    }
    if (!d.env().isEmpty()) {
      env.add(d.env() + "=" + new String(value, StandardCharsets.UTF_8));
      if (d.target().isEmpty()) {
        return;
      }
    }
    String target = d.target().isEmpty() ? "/run/secrets/" + base(id) : target(d);
    if (d.target().isEmpty()) {
      targets.add(target);
    }
    Path dir = tmpfs(0711, 0);
    Path f = dir.resolve("secret");
    Files.write(f, value);
    Files.setAttribute(f, "unix:uid", (int) Math.max(d.uid(), 0), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(f, "unix:gid", (int) Math.max(d.gid(), 0), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(
        f, "unix:mode", (int) (d.mode() >= 0 ? d.mode() & 0777 : 0400), LinkOption.NOFOLLOW_LINKS);
    mounts.add(new ContainerSettings.Mount("bind", f.toString(), target, true, true));
  }

  /** The mount's target as an absolute, clean path in the container; it is noted for its stub. */
  private String target(Mount d) {
    if (d.target().isEmpty()) {
      throw DockerfileException.at(
          in.line(),
          "RUN --mount=type=" + d.type() + " needs a target",
          "add target=PATH to the --mount");
    }
    String t = target(d.target());
    if (t.equals("/")) {
      throw DockerfileException.at(
          in.line(), "invalid mount target \"/\"", "mount at a directory below /");
    }
    targets.add(t);
    return t;
  }

  /** {@code path} made absolute against the working directory and cleaned, as Go's path.Join. */
  private String target(String path) {
    String abs = path.startsWith("/") ? path : in.workingDir() + "/" + path;
    List<String> parts = new ArrayList<>();
    for (String p : abs.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(p);
    }
    return "/" + String.join("/", parts);
  }

  private static String base(String path) {
    String p = path.replaceAll("/+$", "");
    return p.isEmpty() ? "/" : p.substring(p.lastIndexOf('/') + 1);
  }

  private DockerfileException notFound(Mount d, String where) {
    return DockerfileException.at(
        in.line(),
        "RUN --mount source " + d.source() + " was not found in " + where,
        "give a source path inside " + where);
  }

  private void mount(Path source, String target, boolean readOnly) {
    mounts.add(new ContainerSettings.Mount("bind", source.toString(), target, readOnly, true));
  }

  private Path dir() throws IOException {
    Path d = Files.createTempDirectory("jstack-run-");
    dirs.add(d);
    return d;
  }

  private Path tmpfs(int mode, long size) throws IOException {
    Path d = dir();
    NativeFs.mountTmpfs(d, mode, size);
    tmpfs.add(d);
    return d;
  }

  /** Unmounts and removes what the mounts needed on the host, and lets go of the caches. */
  @Override
  public void close() {
    for (String h : helpers) {
      try {
        in.containers().remove(h);
      } catch (RuntimeException e) {
        // Removing the others goes on; the engine reports a container it could not remove.
      }
    }
    for (Path t : tmpfs) {
      try {
        NativeFs.unmount(t);
      } catch (IOException e) {
        // Its directory cannot go either; the rest is cleaned regardless.
      }
    }
    for (Path d : dirs) {
      try {
        LayerUnpacker.removeTree(d);
      } catch (IOException e) {
        // Left in the temporary directory; nothing of the build depends on it.
      }
    }
    claims.forEach(CacheMounts.Claim::release);
  }

  /** A digest's hex text, for cache directory names. */
  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
