package io.jstack.runtime.build;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a build plan depends on besides the Dockerfile.
 *
 * @param buildArgs {@code --build-arg} values; they override ARG defaults and predefined ARGs
 * @param buildPlatform the platform the build runs on, {@code os/arch[/variant]}
 * @param targetPlatform the platform the image is for, {@code os/arch[/variant]}
 * @param target the stage asked for, which TARGETSTAGE holds; empty for the last stage
 * @param imageEnv the {@code KEY=value} environment of a base image, by reference; variables of the
 *     base image are visible to substitution in its stages. Until images are resolved it may return
 *     an empty list.
 * @param imageOnBuild the ONBUILD triggers of a base image, by reference, which run right after a
 *     FROM of it
 */
public record BuildOptions(
    Map<String, String> buildArgs,
    String buildPlatform,
    String targetPlatform,
    String target,
    Function<String, List<String>> imageEnv,
    Function<String, List<String>> imageOnBuild) {
  public BuildOptions {
    buildArgs = Map.copyOf(buildArgs);
  }

  /** Options whose base images have no ONBUILD triggers. */
  public BuildOptions(
      Map<String, String> buildArgs,
      String buildPlatform,
      String targetPlatform,
      String target,
      Function<String, List<String>> imageEnv) {
    this(buildArgs, buildPlatform, targetPlatform, target, imageEnv, ref -> List.of());
  }

  /** Builds for linux/amd64 on linux/amd64 with the given build arguments. */
  public static BuildOptions of(Map<String, String> buildArgs) {
    return new BuildOptions(buildArgs, "linux/amd64", "linux/amd64", "", ref -> List.of());
  }

  /** The same options for another target platform. */
  public BuildOptions withTargetPlatform(String platform) {
    return new BuildOptions(buildArgs, buildPlatform, platform, target, imageEnv, imageOnBuild);
  }

  /** The same options for another build platform. */
  public BuildOptions withBuildPlatform(String platform) {
    return new BuildOptions(buildArgs, platform, targetPlatform, target, imageEnv, imageOnBuild);
  }

  /** The same options with base images' ONBUILD triggers. */
  public BuildOptions withImageOnBuild(Function<String, List<String>> triggers) {
    return new BuildOptions(buildArgs, buildPlatform, targetPlatform, target, imageEnv, triggers);
  }

  /** The same options with base images' environments. */
  public BuildOptions withImageEnv(Function<String, List<String>> env) {
    return new BuildOptions(buildArgs, buildPlatform, targetPlatform, target, env, imageOnBuild);
  }
}
