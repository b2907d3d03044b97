package io.jstack.runtime.bench;

import io.jstack.engine.testing.image.TestImages;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.container.Containers;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.internal.Digests;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Create-to-running latency of one container on the embedded runtime (overlay mount, bundle,
 * conmon, runc create and start), against Debian's docker ({@code docker run -d}) on the same
 * busybox content: {@code ContainerStartBench ROUNDS}. Containers run {@code sleep 60} and are
 * removed after each measurement (not timed).
 */
public final class ContainerStartBench {
  private ContainerStartBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path dir = Files.createTempDirectory("jstack-bench-");
    try {
      DataRoot root = new DataRoot(dir);
      byte[] tar = TestImages.busyboxLayer();
      Path layer = ImageStore.open(root).putLayer(Digests.of(tar), new ByteArrayInputStream(tar));
      Containers containers = new Containers(root, RuntimeTools.detect());
      List<Long> jstack = new ArrayList<>();
      List<Long> docker = new ArrayList<>();
      boolean haveDocker =
          new ProcessBuilder("docker", "image", "inspect", "jstack-examples/busybox:latest")
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .start()
                  .waitFor()
              == 0;
      for (int i = -3; i < rounds; i++) { // three warm-up rounds, not counted
        String id = "bench" + (i + 3);
        long t0 = System.nanoTime();
        containers.create(ContainerConfig.of(id, List.of(layer), List.of("sleep", "60")));
        containers.start(id);
        long took = System.nanoTime() - t0;
        containers.stop(id, "KILL", Duration.ZERO);
        containers.remove(id);
        if (haveDocker) {
          String name = "jstack-bench-" + (i + 3);
          long d0 = System.nanoTime();
          Process p =
              new ProcessBuilder(
                      "docker",
                      "run",
                      "-d",
                      "--network",
                      "none",
                      "--name",
                      name,
                      "jstack-examples/busybox:latest",
                      "sleep",
                      "60")
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .start();
          if (p.waitFor() != 0) {
            throw new IllegalStateException("docker run failed");
          }
          long dt = System.nanoTime() - d0;
          new ProcessBuilder("docker", "rm", "-f", name)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start()
              .waitFor();
          if (i >= 0) {
            docker.add(dt);
          }
        }
        if (i >= 0) {
          jstack.add(took);
        }
      }
      System.out.printf(
          "create-to-running (%d rounds): jstack median %.1f ms (p90 %.1f, best %.1f)%n",
          rounds, ms(median(jstack)), ms(pct(jstack, 0.9)), ms(Collections.min(jstack)));
      if (haveDocker) {
        System.out.printf(
            "  docker run -d (dockerd, docker CLI, network none) median %.1f ms; ratio jstack/docker %.2f%n",
            ms(median(docker)), (double) median(jstack) / median(docker));
      }
    } finally {
      Containers containers = new Containers(new DataRoot(dir), RuntimeTools.detect());
      for (int i = 0; i < rounds + 3; i++) {
        containers.remove("bench" + i);
      }
      LayerUnpacker.removeTree(dir);
    }
  }

  private static long median(List<Long> v) {
    return pct(v, 0.5);
  }

  private static long pct(List<Long> v, double p) {
    List<Long> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(Math.min(s.size() - 1, (int) Math.floor(p * (s.size() - 1) + 0.5)));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
