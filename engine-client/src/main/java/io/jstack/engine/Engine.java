package io.jstack.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What the planner needs from a container engine: containers, networks, volumes and images, found
 * by label and changed one at a time. Implemented over Docker's Engine API, by jstack's embedded
 * engine, and in memory for tests.
 *
 * <p>Every method may throw {@link EngineException}; {@link EngineException.NotFound} and {@link
 * EngineException.Conflict} tell the two cases callers act on.
 */
public interface Engine {

  /** What the engine says about itself. */
  EngineInfo info();

  /**
   * For messages: which engine this is, e.g. {@code docker 27.5.1 at unix:///var/run/docker.sock}.
   */
  String describe();

  /**
   * The host name or address clients reach the engine's host by, when the engine is on another host
   * as far as this client knows (a TCP address): a port published on all of that host's addresses
   * is reached there. Empty for an engine on this host's socket.
   */
  java.util.Optional<String> remoteHost();

  /**
   * Containers, in any state, carrying every label of {@code labels} (a value of "" matches any
   * value).
   */
  List<ContainerInfo> containers(Map<String, String> labels);

  /** The container with this id or name. */
  Optional<ContainerInfo> container(String idOrName);

  /**
   * Creates a container without starting it and returns its id.
   *
   * @throws EngineException.Conflict when the name is taken
   */
  String createContainer(ContainerSpec spec);

  /** Starts a created or stopped container; starting a running one does nothing. */
  void startContainer(String id);

  /**
   * Sends {@code signal} (the image's or SIGTERM when null), then SIGKILL after {@code timeout};
   * stopping a container that is not running does nothing.
   */
  void stopContainer(String id, @Nullable String signal, Duration timeout);

  void killContainer(String id, @Nullable String signal);

  /**
   * Removes a container, and its anonymous volumes when {@code removeVolumes}; with {@code force}
   * one that runs or is paused is killed first, in the same call ({@code docker rm -f}): no restart
   * policy can start it again in between.
   *
   * @throws EngineException.Conflict when it runs or is paused and {@code force} is not set
   */
  void removeContainer(String id, boolean removeVolumes, boolean force);

  /**
   * @throws EngineException.Conflict when {@code newName} is taken
   */
  void renameContainer(String id, String newName);

  /**
   * The file or directory at {@code path} in the container, as a tar stream whose top entry is its
   * name; the caller closes it.
   */
  java.io.InputStream copyFrom(String id, String path);

  /** Unpacks the tar stream {@code archive} into the directory {@code dir} of the container. */
  void copyTo(String id, String dir, java.io.InputStream archive);

  /**
   * The container's root file system as a tar stream, its volumes and mounts not included ({@code
   * docker export}); the caller closes it.
   */
  java.io.InputStream exportContainer(String id);

  /**
   * A new image of the container's changes to its image's files, with the container's settings as
   * its defaults ({@code docker commit}); returns the new image's id.
   *
   * @throws EngineException.InvalidArgument when a change is not one a commit may make
   */
  String commitContainer(String id, CommitSpec spec);

  /**
   * What a commit asks for.
   *
   * @param reference the new image's name, or null for none
   * @param message the history entry's comment, or null
   * @param author the image's author, or null
   * @param changes Dockerfile instructions applied to the image's defaults ({@code CMD}, {@code
   *     ENTRYPOINT}, {@code ENV}, {@code EXPOSE}, {@code LABEL}, {@code ONBUILD}, {@code USER},
   *     {@code VOLUME}, {@code WORKDIR}, ...)
   * @param pause whether a running container is paused while it is committed
   */
  record CommitSpec(
      @Nullable String reference,
      @Nullable String message,
      @Nullable String author,
      List<String> changes,
      boolean pause) {
    public CommitSpec {
      changes = List.copyOf(changes);
    }
  }

  /** The processes running in a container, as {@code ps} shows them. */
  Processes top(String id);

  /**
   * A sample of a running container's resource use, its CPU use measured over an interval the
   * engine waits for (about a second on Docker's): what {@code docker stats --no-stream} shows.
   *
   * @throws EngineException.Conflict when the container does not run
   */
  ContainerStats stats(String id);

  /** A process table: the column titles, then one row per process. */
  record Processes(List<String> titles, List<List<String>> rows) {
    public Processes {
      titles = List.copyOf(titles);
      rows = rows.stream().map(List::copyOf).toList();
    }
  }

  /** Freezes every process of a running container. */
  void pauseContainer(String id);

  /** Thaws a paused container. */
  void unpauseContainer(String id);

  /**
   * Runs a command in a running container with its standard streams connected to {@code stdio} (a
   * pseudo-terminal when {@code stdio.terminal()} is set) and returns its exit code once its output
   * has ended; a detached exec returns 0 as soon as it has started.
   */
  int exec(String id, ExecSpec spec, Stdio stdio);

  /**
   * Runs a command in a running container, feeding it {@code stdin} (may be null) and returning
   * what it printed and its exit code.
   */
  default ExecResult exec(String id, ExecSpec spec, byte @Nullable [] stdin) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code =
        exec(
            id,
            spec,
            new Stdio(
                stdin == null ? null : new java.io.ByteArrayInputStream(stdin), out, err, null));
    return new ExecResult(code, out.toByteArray(), err.toByteArray());
  }

  /**
   * Starts a created container with its standard streams connected to {@code stdio}, attached
   * before it starts so that nothing it prints is lost, and returns its exit code once it has
   * exited. Input reaches it only when it was created with {@link ContainerSpec#stdinOpen()}.
   */
  int startAttached(String id, Stdio stdio);

  /**
   * Attaches {@code stdio} to a running container ({@code docker attach}): what it prints from now
   * on, and, when it was created with {@link ContainerSpec#stdinOpen()} and {@code stdio.in()} is
   * not null, its input; returns its exit code once it has exited.
   *
   * @throws EngineException.Conflict when it does not run
   */
  int attach(String id, Stdio stdio);

  /**
   * A command to run in a container.
   *
   * @param env {@code KEY=VALUE} entries added to the container's
   * @param user as {@code user[:group]}, or null for the container's
   * @param workingDir or null for the container's
   * @param detach start it and return at once, keeping none of its output
   */
  record ExecSpec(
      List<String> command,
      List<String> env,
      @Nullable String user,
      @Nullable String workingDir,
      boolean privileged,
      boolean detach) {
    public ExecSpec {
      command = List.copyOf(command);
      env = List.copyOf(env);
    }
  }

  /** What an exec printed, and how it ended. */
  record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {}

  /** Blocks until the container has exited and returns its exit code. */
  int waitContainer(String id);

  /** The container's output; the caller closes the stream. */
  LogStream logs(String id, LogStream.Options options);

  /** Networks carrying every label of {@code labels}. */
  List<NetworkInfo> networks(Map<String, String> labels);

  Optional<NetworkInfo> network(String name);

  /**
   * @throws EngineException.Conflict when a network of that name exists
   */
  void createNetwork(NetworkSpec spec);

  void removeNetwork(String name);

  /**
   * Networks that pass {@code filters}: Docker's {@code driver}, {@code id}, {@code label}, {@code
   * name}, {@code scope}, {@code type} ({@code custom} or {@code builtin}) and {@code dangling}.
   *
   * @throws EngineException.InvalidArgument for a filter the engine does not know
   */
  List<NetworkInfo> networks(ListFilters filters);

  /**
   * Removes the networks no container is attached to, except the engine's own ({@code bridge},
   * {@code host}, {@code none}), that pass {@code filters} ({@code label}, {@code label!}).
   *
   * @return the names of the networks removed (no space is reclaimed)
   */
  Pruned pruneNetworks(ListFilters filters);

  /** Volumes carrying every label of {@code labels}. */
  List<VolumeInfo> volumes(Map<String, String> labels);

  Optional<VolumeInfo> volume(String name);

  /** Creates a volume; when one of that name exists, it is kept as it is (as dockerd does). */
  void createVolume(VolumeSpec spec);

  void removeVolume(String name);

  /**
   * Volumes that pass {@code filters}: Docker's {@code dangling} ({@code true}: used by no
   * container), {@code driver}, {@code label} and {@code name}.
   *
   * @throws EngineException.InvalidArgument for a filter the engine does not know
   */
  List<VolumeInfo> volumes(ListFilters filters);

  /**
   * Removes the volumes no container uses that pass {@code filters} ({@code label}, {@code
   * label!}): only anonymous ones, as Docker 23 and later do, unless {@code all=true} is one of
   * them.
   */
  Pruned pruneVolumes(ListFilters filters);

  /** What a prune removed: the names, and the bytes that freed. */
  record Pruned(List<String> deleted, long reclaimedBytes) {
    public Pruned {
      deleted = List.copyOf(deleted);
    }
  }

  /** The local images carrying every label of {@code labels}. */
  List<ImageInfo> images(Map<String, String> labels);

  /** Gives the image {@code source} the name {@code target} as well. */
  void tagImage(String source, String target);

  /**
   * Loads images from a {@code docker save} archive.
   *
   * @return the names (or ids) of the images loaded
   */
  List<String> loadImages(java.io.InputStream archive);

  /**
   * Events from now on about resources carrying every label of {@code labels}; the caller closes
   * it.
   */
  EventStream events(Map<String, String> labels);

  /** The local image {@code reference} names, if the engine has it. */
  Optional<ImageInfo> image(String reference);

  /** Pulls {@code reference}, reporting progress as it goes. */
  void pullImage(String reference, Consumer<PullProgress> progress);

  void removeImage(String reference);

  /**
   * Pushes {@code reference} to its registry, reporting progress as it goes, and returns the digest
   * of the manifest the registry took ({@code sha256:…}): {@code reference@digest} names exactly
   * what was pushed.
   *
   * @throws EngineException when the push fails, or the engine reports no digest
   */
  String pushImage(String reference, Consumer<PullProgress> progress);

  /**
   * Builds an image from a local context and returns its id; {@code progress} gets the build's
   * output lines.
   *
   * @throws EngineException with the build's own error message when a step fails
   */
  String buildImage(BuildSpec spec, Consumer<String> progress);

  /** Progress of a pull: one layer (or the whole image when {@code layer} is empty). */
  record PullProgress(String reference, String layer, String status, long current, long total) {}
}
