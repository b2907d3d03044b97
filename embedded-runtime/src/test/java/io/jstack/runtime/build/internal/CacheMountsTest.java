package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache mount directories: their place, what they start with, and their sharing. */
class CacheMountsTest {
  @TempDir Path root;

  @Test
  void aCache_isKeptUnderTheDigestOfItsKey_andFilledOnce() throws Exception {
    CacheMounts.Claim first =
        CacheMounts.claim(
            root, "cache-dir:/c", "shared", d -> Files.writeString(d.resolve("f"), "1"));
    first.release();
    CacheMounts.Claim again =
        CacheMounts.claim(
            root, "cache-dir:/c", "shared", d -> Files.writeString(d.resolve("f"), "2"));
    again.release();

    // sha256("cache-dir:/c")
    assertThat(first.dir())
        .isEqualTo(again.dir())
        .isEqualTo(
            root.resolve(
                RunMounts.hex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(
                            "cache-dir:/c".getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
    assertThat(first.dir().resolve("f")).hasContent("1");
    try (var entries = Files.list(root)) {
      assertThat(entries).containsExactly(first.dir());
    }
  }

  @Test
  void shared_isOneDirectoryAtOnce_private_getsAnotherWhileInUse() throws Exception {
    CacheMounts.Claim a = CacheMounts.claim(root, "k", "shared", d -> {});
    CacheMounts.Claim b = CacheMounts.claim(root, "k", "shared", d -> {});
    CacheMounts.Claim p = CacheMounts.claim(root, "k", "private", d -> {});
    try {
      assertThat(b.dir()).isEqualTo(a.dir());
      assertThat(p.dir()).isNotEqualTo(a.dir());
    } finally {
      a.release();
      b.release();
      p.release();
    }
    CacheMounts.Claim alone = CacheMounts.claim(root, "k", "private", d -> {});
    alone.release();
    assertThat(alone.dir()).isEqualTo(a.dir());
  }

  @Test
  void locked_waitsForTheOtherUser() throws Exception {
    CacheMounts.Claim a = CacheMounts.claim(root, "l", "locked", d -> {});
    java.util.concurrent.CompletableFuture<CacheMounts.Claim> b =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return CacheMounts.claim(root, "l", "locked", d -> {});
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    Thread.sleep(300);
    assertThat(b).isNotDone();
    a.release();
    CacheMounts.Claim second = b.get(5, java.util.concurrent.TimeUnit.SECONDS);
    second.release();
    assertThat(second.dir()).isEqualTo(a.dir());
  }
}
