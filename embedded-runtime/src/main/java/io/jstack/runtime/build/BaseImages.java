package io.jstack.runtime.build;

import io.jstack.engine.ImageReference;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.RegistryClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The images a build reads besides its own stages (FROM, {@code COPY --from}, {@code RUN --mount
 * from=}), made present in the store before any stage runs: pulled when missing, or always with
 * {@code --pull}, as BuildKit resolves every base image before it solves. And the one platform the
 * engine builds for, the host's: it emulates no other.
 */
final class BaseImages {
  private BaseImages() {}

  /** The platform the engine runs, e.g. {@code linux/amd64}. */
  static String host() {
    return normalize(RegistryClient.hostPlatform());
  }

  /**
   * {@code platform} as containerd's {@code platforms.Normalize} writes it: lower case, {@code
   * os/arch[/variant]}, a lone architecture on linux, {@code x86_64} as {@code amd64} and {@code
   * aarch64} as {@code arm64}, the default variants ({@code amd64/v1}, {@code arm64/v8}) dropped.
   */
  static String normalize(String platform) {
    String[] p = platform.strip().toLowerCase(Locale.ROOT).split("/", -1);
    String os = p.length > 1 ? p[0] : "linux";
    String arch = p.length > 1 ? p[1] : p[0];
    String variant = p.length > 2 ? p[2] : "";
    if (p.length == 1 && Set.of("linux", "windows", "darwin", "freebsd").contains(arch)) {
      os = arch;
      arch = normalize(RegistryClient.hostPlatform()).split("/")[1];
    }
    arch =
        switch (arch) {
          case "x86_64", "x86-64" -> "amd64";
          case "aarch64" -> "arm64";
          case "i386", "i686" -> "386";
          default -> arch;
        };
    if ((arch.equals("amd64") && variant.equals("v1"))
        || (arch.equals("arm64") && variant.equals("v8"))) {
      variant = "";
    }
    return os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
  }

  /**
   * The request's {@code --platform}, normalized: the host's when empty.
   *
   * @throws IllegalArgumentException when it is another platform
   */
  static String requested(String platform) {
    if (platform.isBlank()) {
      return host();
    }
    String p = normalize(platform);
    if (!p.equals(host())) {
      throw new IllegalArgumentException(
          "--platform "
              + platform
              + " is not supported: the jstack engine builds only for "
              + host()
              + " and emulates no other platform; drop --platform or build on a "
              + p
              + " host");
    }
    return p;
  }

  /**
   * Refuses a needed stage whose FROM --platform the host cannot run.
   *
   * @throws DockerfileException naming its FROM line
   */
  static void checkPlatform(Stage stage) {
    if (!stage.platform().isEmpty() && !normalize(stage.platform()).equals(host())) {
      throw DockerfileException.at(
          stage.line(),
          "FROM --platform="
              + stage.platform()
              + " is not supported: the jstack engine builds only for "
              + host()
              + " and emulates no other platform",
          "drop --platform or use --platform=$BUILDPLATFORM");
    }
  }

  /**
   * The images stages {@code needed} of {@code plan} read, each with the line that first names it.
   */
  static Map<String, Integer> read(BuildPlan plan, Iterable<Integer> needed) {
    Map<String, Integer> images = new LinkedHashMap<>();
    for (int i : needed) {
      for (BuildPlan.Read r : plan.reads(i)) {
        if (r.base() instanceof Stage.Base.Image img) {
          images.putIfAbsent(img.reference(), r.line());
        }
      }
    }
    return images;
  }

  /**
   * Pulls each of {@code images} the store lacks, or each of them with {@code always}, telling
   * {@code progress}; returns whether it pulled any.
   *
   * @throws DockerfileException naming the line and the image when one cannot be pulled
   */
  static boolean pull(
      ImageStore store, Map<String, Integer> images, boolean always, Consumer<String> progress) {
    boolean pulled = false;
    for (Map.Entry<String, Integer> e : images.entrySet()) {
      String image = e.getKey();
      if (!always && store.find(image).isPresent()) {
        continue;
      }
      ImageReference ref;
      try {
        ref = ImageReference.parse(image);
      } catch (RuntimeException ex) {
        throw DockerfileException.at(
            e.getValue(),
            "invalid image name " + image + ": " + firstLine(ex),
            "name an image as [registry/]repository[:tag]");
      }
      progress.accept("Pulling " + ref.familiar() + "\n");
      try {
        String digest =
            new RegistryClient(store, RegistryClient.Options.defaults(), p -> {}).pull(ref);
        progress.accept(" ---> Pulled " + ref.familiar() + " (" + digest + ")\n");
        pulled = true;
      } catch (io.jstack.runtime.image.DiskFull full) {
        throw full; // The data root's line, as the pull says it: no Dockerfile line would help.
      } catch (RuntimeException ex) {
        throw DockerfileException.at(
            e.getValue(),
            "cannot pull " + ref.familiar() + ": " + firstLine(ex),
            store.find(image).isPresent()
                ? "build without --pull to use the image the engine has"
                : "check the name and the registry, or load the image into the engine first");
      }
    }
    return pulled;
  }

  private static String firstLine(RuntimeException e) {
    String m = String.valueOf(e.getMessage()).strip();
    List<String> lines = m.lines().toList();
    return lines.isEmpty() ? e.getClass().getSimpleName() : lines.get(0);
  }
}
