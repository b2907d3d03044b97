package io.jstack.runtime.container.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.container.ExecConfig;
import io.jstack.runtime.internal.NativeFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The OCI bundle of a container, made before anything runs: its overlay root over the image's
 * layers, its volumes filled from the image where they are still empty ({@link VolumeFill}), the
 * files it gets ({@code hosts}, {@code hostname}, {@code resolv.conf}), its {@code config.json} and
 * the console it asks for; and the process of each exec in it, made from that {@code config.json}.
 */
public final class Bundles {
  /** config.json; a mapper is costly to make, and it is thread-safe. */
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The files a bundle's directory holds for the runtime to bind over the root's, by their path in
   * the container: its hosts, host name and resolver configuration.
   */
  public static final java.util.Map<String, String> GENERATED =
      java.util.Map.of(
          "/etc/hosts", "hosts", "/etc/hostname", "hostname", "/etc/resolv.conf", "resolv.conf");

  private Bundles() {}

  /**
   * The host directory of the {@code /dev/shm} of the shareable container in {@code dir}, a tmpfs
   * of its own as Docker's {@code mounts/shm}, for others joining its IPC namespace.
   */
  public static Path shm(Path dir) {
    return dir.resolve("shm");
  }

  /**
   * Points namespace {@code type} ({@code ipc} or {@code pid}) of the bundle in {@code dir} at the
   * one of process {@code pid}, before a start.
   */
  public static void join(Path dir, String type, long pid, Path shm) throws IOException {
    Path config = dir.resolve("config.json");
    com.fasterxml.jackson.databind.node.ObjectNode spec =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(config.toFile());
    OciSpec.join(spec, type, pid, shm);
    Files.write(config, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec));
  }

  /**
   * Makes the bundle of {@code c} in {@code dir}; {@code init} gives the init binary when {@code c}
   * asks for one; with {@code unsynced}, its root is mounted for a single use ({@link
   * NativeFs#mountOverlay(List, Path, Path, Path, boolean)}). What it made stays on failure: the
   * caller cleans up.
   *
   * @throws EngineException when its user, group or working directory cannot be used
   */
  public static void prepare(Path dir, ContainerConfig c, Supplier<Path> init, boolean unsynced)
      throws IOException {
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(dir.resolve("upper"));
    Files.createDirectories(dir.resolve("work"));
    Files.createDirectories(rootfs);
    List<Path> lower = new ArrayList<>(c.layers());
    java.util.Collections.reverse(lower);
    NativeFs.mountOverlay(lower, dir.resolve("upper"), dir.resolve("work"), rootfs, unsynced);
    OciSpec.User user = Users.withGroups(rootfs, Users.resolve(rootfs, c.user()), c.tuning());
    for (ContainerConfig.BindMount m : c.mounts()) {
      Path volume = m.source();
      if (m.type().equals("volume") && volume != null) {
        VolumeFill.ON_DISK.prepare(
            volume, m.populate() ? RootPaths.resolve(rootfs, m.target()) : null);
      }
    }
    String cwd = c.workingDir() == null || c.workingDir().isEmpty() ? "/" : c.workingDir();
    if (!cwd.startsWith("/")) {
      throw new EngineException(
          "working_dir " + cwd + " of container " + c.name() + " must be an absolute path");
    }
    Path resolved = RootPaths.resolve(rootfs, cwd);
    if (resolved.startsWith(rootfs.resolve("proc")) || resolved.startsWith(rootfs.resolve("sys"))) {
      throw new EngineException(
          "working_dir "
              + cwd
              + " of container "
              + c.name()
              + " leads into /proc or /sys, which jstack refuses");
    }
    String hostname =
        c.hostname() == null ? c.id().substring(0, Math.min(12, c.id().length())) : c.hostname();
    Path hosts = Files.writeString(dir.resolve(GENERATED.get("/etc/hosts")), hosts(c, hostname));
    Path hostnameFile =
        Files.writeString(dir.resolve(GENERATED.get("/etc/hostname")), hostname + "\n");
    Path resolv = dir.resolve(GENERATED.get("/etc/resolv.conf"));
    Path hostResolv = Path.of("/etc/resolv.conf");
    Files.writeString(
        resolv,
        c.resolvConf() != null
            ? c.resolvConf()
            : Files.isReadable(hostResolv) ? Files.readString(hostResolv) : "");
    OciSpec.Files files =
        new OciSpec.Files(hosts, hostnameFile, resolv, c.init() ? init.get() : null);
    com.fasterxml.jackson.databind.node.ObjectNode oci = OciSpec.of(c, rootfs, user, files);
    if (c.tuning().ipc() == ContainerConfig.Sharing.SHAREABLE) {
      Path shm = Files.createDirectories(shm(dir));
      NativeFs.mountTmpfs(shm, 01777, c.shmBytes() == null ? 64L << 20 : c.shmBytes());
      OciSpec.shareShm(oci, shm);
    }
    byte[] spec = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(oci);
    Files.write(dir.resolve("config.json"), spec);
    if (!c.console().equals(ContainerConfig.Console.NONE)) {
      Files.writeString(
          dir.resolve("console"),
          (c.console().tty() ? "tty " : "")
              + (c.console().stdin() ? "stdin " : "")
              + (c.console().stdinOnce() ? "once" : ""));
    }
  }

  /**
   * Makes the missing mount points of the bundle in {@code dir} in its root, as the runtime is
   * about to run it (crun does not make them all; see {@link MountPoints}). At start, not at
   * create: a build's RUN notes what its root lacked before, to take the points out of its layer
   * again.
   */
  public static void makeMountPoints(Path dir) throws IOException {
    MountPoints.make(
        dir.resolve("rootfs"), (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile()));
  }

  /**
   * Writes to {@code processFile} the OCI process of exec {@code e} in the container of bundle
   * {@code dir}: the container's own process, changed where the exec asks (command, terminal,
   * working directory, user, environment), so that it has the same capabilities, limits and
   * security settings, as Docker's exec has.
   *
   * @throws EngineException when the exec's user cannot be used
   */
  public static void writeExecProcess(Path dir, ExecConfig e, Path processFile) throws IOException {
    ObjectNode process =
        (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile()).path("process");
    process.put("terminal", e.tty());
    ArrayNode args = process.putArray("args");
    e.command().forEach(args::add);
    if (e.workingDir() != null && !e.workingDir().isEmpty()) {
      process.put("cwd", e.workingDir());
    }
    Map<String, String> env = new LinkedHashMap<>();
    process.path("env").forEach(v -> env.put(v.asText().split("=", 2)[0], v.asText()));
    if (e.user() != null && !e.user().isEmpty()) {
      OciSpec.User u = Users.resolve(dir.resolve("rootfs"), e.user());
      ObjectNode user = process.putObject("user");
      user.put("uid", u.uid());
      user.put("gid", u.gid());
      ArrayNode gids = user.putArray("additionalGids");
      u.additionalGids().forEach(gids::add);
      env.put("HOME", "HOME=" + u.home());
    }
    for (String v : e.env()) {
      env.put(v.split("=", 2)[0], v);
    }
    ArrayNode envs = process.putArray("env");
    env.values().forEach(envs::add);
    Files.write(processFile, JSON.writeValueAsBytes(process));
  }

  private static String hosts(ContainerConfig c, String hostname) throws IOException {
    if ("host".equals(c.networkMode())) {
      Path h = Path.of("/etc/hosts");
      StringBuilder own =
          new StringBuilder(Files.isReadable(h) ? Files.readString(h) : "127.0.0.1\tlocalhost\n");
      c.hostsEntries().forEach(l -> own.append(l).append('\n'));
      return own.toString();
    }
    StringBuilder h =
        new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    if (c.hostsEntries().stream().noneMatch(l -> l.endsWith("\t" + hostname))) {
      h.append("127.0.0.1\t").append(hostname).append('\n');
    }
    c.hostsEntries().forEach(l -> h.append(l).append('\n'));
    return h.toString();
  }
}
