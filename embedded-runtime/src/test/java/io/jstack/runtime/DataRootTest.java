package io.jstack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataRootTest {

  @Test
  void resolve_flagWinsOverEnvironment() {
    DataRoot root = DataRoot.resolve("/tmp/a/../b", Map.of("JSTACK_DATA_ROOT", "/srv/jstack"));
    assertThat(root.path()).isEqualTo(Path.of("/tmp/b"));
  }

  @Test
  void resolve_environmentWinsOverDefault() {
    assertThat(DataRoot.resolve(null, Map.of("JSTACK_DATA_ROOT", "/srv/jstack")).path())
        .isEqualTo(Path.of("/srv/jstack"));
    assertThat(DataRoot.resolve(" ", Map.of()).path()).isEqualTo(Path.of("/var/lib/jstack"));
  }

  @Test
  void resolve_relativePathsBecomeAbsolute() {
    assertThat(DataRoot.resolve("rel", Map.of()).path().isAbsolute()).isTrue();
  }
}
