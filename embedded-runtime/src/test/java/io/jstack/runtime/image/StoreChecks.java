package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.runtime.DataRoot;
import io.jstack.runtime.image.internal.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What an image store must be after any failure of a pull, load or build (a kill, a full disk):
 * every blob has the digest it is named by, every tagged image is whole (its blobs and unpacked
 * layers there), and no temporary is left once the store has opened.
 */
final class StoreChecks {
  private StoreChecks() {}

  /**
   * Checks the store of {@code dataRoot} (none at all passes) and returns how many blobs it hashed.
   */
  static int checkConsistent(Path dataRoot) throws IOException {
    if (!Files.exists(dataRoot)) {
      return 0;
    }
    ImageStore store = ImageStore.open(new DataRoot(dataRoot));
    int blobs = 0;
    try (Stream<Path> all = Files.list(store.root().resolve("blobs/sha256"))) {
      for (Path b : (Iterable<Path>) all::iterator) {
        MessageDigest md = Digests.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(b), md)) {
          in.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(Digests.format(md.digest()))
            .as("blob " + b.getFileName())
            .isEqualTo("sha256:" + b.getFileName());
        blobs++;
      }
    }
    for (Map.Entry<String, String> t : store.tags().entrySet()) {
      ImageStore.Image i = store.image(t.getValue());
      for (int l = 0; l < i.layers().size(); l++) {
        assertThat(store.hasBlob(i.layers().get(l).digest())).isTrue();
        assertThat(store.layer(i.diffIds().get(l))).as("layer of tagged " + t.getKey()).isPresent();
      }
    }
    List<Path> temporaries = new ArrayList<>();
    try (Stream<Path> all = Files.list(store.root().resolve("tmp"))) {
      all.forEach(temporaries::add);
    }
    assertThat(temporaries).as("temporaries left, after the store opened").isEmpty();
    return blobs;
  }
}
