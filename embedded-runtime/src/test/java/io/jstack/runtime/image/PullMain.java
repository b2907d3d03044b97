package io.jstack.runtime.image;

import io.jstack.runtime.DataRoot;
import java.nio.file.Path;

/** A pull in a process of its own, for tests that kill it: {@code PullMain DATA_ROOT IMAGE}. */
public final class PullMain {
  private PullMain() {}

  public static void main(String[] args) {
    ImageStore store = ImageStore.open(new DataRoot(Path.of(args[0])));
    new RegistryClient(store, RegistryClient.Options.defaults(), p -> {})
        .pull(ImageReference.parse(args[1]));
    System.out.println("pulled");
  }
}
