package io.jstack.runtime.build;

/**
 * One {@code RUN --mount=...} after substitution, with BuildKit's defaults filled in (moby/buildkit
 * {@code frontend/dockerfile/instructions/commands_runmount.go}).
 *
 * @param type bind (the default), cache, tmpfs, secret or ssh
 * @param from the stage or image a bind or cache mount takes its files from; empty for the context
 * @param source the path in {@code from}, or the secret's id for a secret
 * @param target where it is mounted in the container
 * @param readOnly bind, secret and ssh mounts are read-only unless {@code rw} is given
 * @param sizeLimit a tmpfs's {@code size} in bytes, 0 when not given
 * @param id a cache's or secret's id; empty when not given
 * @param sharing a cache's sharing mode: shared, private or locked; empty when not given
 * @param required a secret or ssh mount fails the build when missing
 * @param env the environment variable a secret is exposed as; empty when not given
 * @param mode file mode (octal) for cache, secret and ssh; -1 when not given
 * @param uid owner for cache, secret and ssh; -1 when not given
 * @param gid group for cache, secret and ssh; -1 when not given
 */
public record Mount(
    String type,
    String from,
    String source,
    String target,
    boolean readOnly,
    long sizeLimit,
    String id,
    String sharing,
    boolean required,
    String env,
    long mode,
    long uid,
    long gid) {}
