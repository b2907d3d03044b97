package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackProcess;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker load} of an archive larger than the engine's heap, through the engine socket: the
 * body is read as it arrives, never held whole. {@code -Djstack.bigLoad.mib} sets the layer's size
 * (default 1024); the engine's heap is capped at 256 MiB.
 */
class BigImageLoadIT {
  @TempDir Path dir;

  @Test
  void dockerLoad_ofAnArchiveFourTimesTheHeap_throughTheEngineSocket() throws Exception {
    long mib = Long.getLong("jstack.bigLoad.mib", 1024);
    Path archive = dir.resolve("big.tar");
    String[] digests = writeArchive(archive, mib << 20);
    Path socket = dir.resolve("engine.sock");
    try (JstackProcess.Running engine =
        JstackProcess.start(
            JstackProcess.builder(
                    null,
                    Map.of(),
                    null,
                    List.of("-Xmx256m", "-XX:+UseSerialGC"),
                    "--data-root",
                    dir.resolve("data").toString(),
                    "engine",
                    "--socket",
                    socket.toString())
                .redirectOutput(dir.resolve("engine.log").toFile()))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!io.jstack.runtime.Engines.answers(socket)) {
        assertThat(engine.process().isAlive())
            .as(Files.readString(dir.resolve("engine.log")))
            .isTrue();
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(25);
      }
      long started = System.nanoTime();
      Docker.Result load =
          Docker.run(
              null,
              "env",
              "DOCKER_HOST=unix://" + socket,
              "docker",
              "load",
              "-i",
              archive.toString());
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(load.code()).as(load.err() + Files.readString(dir.resolve("engine.log"))).isZero();
      assertThat(load.out()).contains("Loaded image: jstack-it/big:v1");
      Docker.Result id =
          Docker.run(
              null,
              "env",
              "DOCKER_HOST=unix://" + socket,
              "docker",
              "image",
              "inspect",
              "-f",
              "{{.Id}}",
              "jstack-it/big:v1");
      assertThat(id.out().strip()).isEqualTo(digests[1]);
      assertThat(dir.resolve("data/images/layers/sha256/" + digests[0].substring(7))).isDirectory();
      assertThat(engine.process().isAlive()).isTrue();
      assertThat(Files.readString(dir.resolve("engine.log"))).doesNotContain("OutOfMemoryError");
      System.out.printf(
          "loaded a %d MiB archive through the socket in %d ms (%.0f MiB/s) with a 256 MiB heap%n",
          Files.size(archive) >> 20, ms, (Files.size(archive) >> 20) * 1000.0 / Math.max(1, ms));
    }
  }

  /**
   * A {@code docker save} archive of one image whose one layer holds {@code bytes} of data that do
   * not compress; returns the layer's diff_id and the image's config digest.
   */
  private static String[] writeArchive(Path archive, long bytes) throws Exception {
    Path layer = archive.resolveSibling("layer.tar");
    MessageDigest layerDigest = MessageDigest.getInstance("SHA-256");
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(
            new DigestOutputStream(
                new BufferedOutputStream(Files.newOutputStream(layer), 1 << 20), layerDigest))) {
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      TarArchiveEntry e = new TarArchiveEntry("data.bin");
      e.setSize(bytes);
      e.setMode(0644);
      tar.putArchiveEntry(e);
      writeNoise(tar, bytes);
      tar.closeArchiveEntry();
    }
    String diffId = "sha256:" + HexFormat.of().formatHex(layerDigest.digest());
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + diffId
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    String configHex =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config));
    byte[] manifest =
        ("[{\"Config\":\""
                + configHex
                + ".json\",\"RepoTags\":[\"jstack-it/big:v1\"],\"Layers\":[\"layer/layer.tar\"]}]")
            .getBytes(StandardCharsets.UTF_8);
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(
            new BufferedOutputStream(Files.newOutputStream(archive), 1 << 20))) {
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.putArchiveEntry(tar.createArchiveEntry(layer.toFile(), "layer/layer.tar"));
      Files.copy(layer, tar);
      tar.closeArchiveEntry();
      put(tar, configHex + ".json", config);
      put(tar, "manifest.json", manifest);
    }
    Files.delete(layer);
    return new String[] {diffId, "sha256:" + configHex};
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  /** Pseudo-random bytes (xorshift), fast enough for a gigabyte. */
  private static void writeNoise(OutputStream out, long bytes) throws IOException {
    byte[] buf = new byte[1 << 20];
    long x = 0x9E3779B97F4A7C15L;
    for (long left = bytes; left > 0; ) {
      for (int i = 0; i < buf.length; i += 8) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        for (int k = 0; k < 8; k++) {
          buf[i + k] = (byte) (x >>> (8 * k));
        }
      }
      int n = (int) Math.min(buf.length, left);
      out.write(buf, 0, n);
      left -= n;
    }
  }
}
