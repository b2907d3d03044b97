package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --chown} as BuildKit's readUser resolves it, in the stage's own files. */
class OwnersTest {
  @TempDir Path root;

  @BeforeEach
  void files() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(
        root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1500:1600::/:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\nstaff:x:50:\n");
  }

  @Test
  void aName_givesItsUidAndPrimaryGroup_aNumberItselfTwice() throws Exception {
    assertThat(Owners.parse("app", root)).isEqualTo(new Owners.Owner(1500, 1600));
    assertThat(Owners.parse("42", root)).isEqualTo(new Owners.Owner(42, 42));
    assertThat(Owners.parse("app:staff", root)).isEqualTo(new Owners.Owner(1500, 50));
    assertThat(Owners.parse("7:staff", root)).isEqualTo(new Owners.Owner(7, 50));
    assertThat(Owners.parse("app:9", root)).isEqualTo(new Owners.Owner(1500, 9));
  }

  @Test
  void anUnknownName_isRefused_namingTheFile() {
    assertThatThrownBy(() -> Owners.parse("nobody", root))
        .hasMessage("unable to find user nobody: no matching entries in /etc/passwd");
    assertThatThrownBy(() -> Owners.parse("app:wheel", root))
        .hasMessage("unable to find group wheel: no matching entries in /etc/group");
  }

  @Test
  void passwdIsReadInsideTheRoot_evenThroughALinkOut() throws Exception {
    Path other = Files.createDirectories(root.resolve("other/etc"));
    Files.writeString(other.resolve("passwd"), "app:x:3:3::/:/bin/sh\n");
    Files.delete(root.resolve("etc/passwd"));
    Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/other/etc/passwd"));

    assertThat(Owners.parse("app", root)).isEqualTo(new Owners.Owner(3, 3));
  }
}
