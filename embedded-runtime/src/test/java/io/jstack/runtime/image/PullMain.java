package io.jstack.runtime.image;

import io.jstack.engine.ImageReference;
import io.jstack.runtime.DataRoot;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pull in a process of its own, for tests that kill it: {@code PullMain DATA_ROOT IMAGE}. It
 * prints {@value #RECEIVING} once a blob's first bytes have arrived (the client reports them a MiB
 * at a time) and {@value #PULLED} at the end.
 */
public final class PullMain {
  static final String RECEIVING = "receiving";
  static final String PULLED = "pulled";

  private PullMain() {}

  public static void main(String[] args) {
    ImageStore store = ImageStore.open(new DataRoot(Path.of(args[0])));
    AtomicBoolean receiving = new AtomicBoolean();
    new RegistryClient(
            store,
            RegistryClient.Options.defaults(),
            p -> {
              if (p.status().equals("Downloading")
                  && p.current() > 0
                  && receiving.compareAndSet(false, true)) {
                System.out.println(RECEIVING);
              }
            })
        .pull(ImageReference.parse(args[1]));
    System.out.println(PULLED);
  }
}
