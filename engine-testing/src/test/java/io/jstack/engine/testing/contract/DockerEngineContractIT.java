package io.jstack.engine.testing.contract;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.docker.DockerEngine;
import io.jstack.engine.testing.image.LocalRegistry;
import java.nio.file.Path;

/**
 * The engine contract on dockerd at /var/run/docker.sock, the reference, through {@link
 * DockerEngine}; it needs the examples' image {@code jstack-examples/busybox:latest} there
 * (examples/build-image.sh) and Debian's docker-registry.
 */
class DockerEngineContractIT extends EngineContract {
  private LocalRegistry registry;

  @Override
  protected Engine startEngine() throws Exception {
    registry = LocalRegistry.start();
    DockerEngine docker =
        DockerEngine.connect(new EngineAddress.Unix(Path.of("/var/run/docker.sock")));
    if (docker.image(busyboxImage()).isEmpty()) {
      docker.close();
      registry.close();
      throw new AssertionError(
          busyboxImage() + " is not on dockerd: build it with examples/build-image.sh docker");
    }
    return docker;
  }

  @Override
  protected void stopEngine(Engine engine) throws Exception {
    try {
      super.stopEngine(engine);
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  @Override
  protected String registryHost() {
    return registry.host;
  }
}
