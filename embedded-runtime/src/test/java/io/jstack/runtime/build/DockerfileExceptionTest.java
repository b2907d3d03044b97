package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jstack.engine.docker.DockerIgnore;
import org.junit.jupiter.api.Test;

class DockerfileExceptionTest {

  /** As buildx and the 20.10 client's BuildKit send {@code filename}: the base name. */
  @Test
  void nameOf_isTheBaseName_asBuildKitNamesTheFile() {
    assertThat(DockerfileException.nameOf("Dockerfile")).isEqualTo("Dockerfile");
    assertThat(DockerfileException.nameOf("Dockerfile.bad")).isEqualTo("Dockerfile.bad");
    assertThat(DockerfileException.nameOf("sub/dir/app.Dockerfile")).isEqualTo("app.Dockerfile");
    assertThat(DockerfileException.nameOf("sub/Dockerfile")).isEqualTo("Dockerfile");
    assertThat(DockerfileException.nameOf("./Dockerfile.dev")).isEqualTo("Dockerfile.dev");
  }

  @Test
  void nameOf_aFileTheClientNamed_isTheFileItStandsFor() {
    assertThat(DockerfileException.nameOf(".jstack-inline.Dockerfile")).isEqualTo("Dockerfile");
    assertThat(DockerfileException.nameOf(".jstack-inline.other.Dockerfile"))
        .isEqualTo("other.Dockerfile");
    // The docker CLI's name for a Dockerfile outside the context says nothing of the file.
    assertThat(DockerfileException.nameOf(".dockerfile.4f3c2b1a0e9d8c7b6a50"))
        .isEqualTo("Dockerfile");
    assertThat(DockerfileException.nameOf(".jstack-inline.")).isEqualTo(".jstack-inline.");
  }

  @Test
  void in_namesTheFile_keepingLineProblemAndFix() {
    DockerfileException e = DockerfileException.at(2, "RUN exit 3 exited 3", "fix the command");
    assertThat(e).hasMessage("Dockerfile:2: RUN exit 3 exited 3; fix the command");

    DockerfileException renamed = e.in("Dockerfile.bad");

    assertThat(renamed).hasMessage("Dockerfile.bad:2: RUN exit 3 exited 3; fix the command");
    assertThat(renamed.file()).isEqualTo("Dockerfile.bad");
    assertThat(renamed.line()).isEqualTo(2);
    assertThat(renamed.problem()).isEqualTo("RUN exit 3 exited 3");
    assertThat(renamed.fix()).isEqualTo("fix the command");
    assertThat(renamed).hasCause(e);
    assertThat(e.in("Dockerfile")).isSameAs(e);
  }

  @Test
  void in_leavesAnotherFilesError() {
    DockerfileException ignore =
        new DockerfileException(".dockerignore", 1, "syntax error in pattern [", "fix it");
    assertThat(ignore.in("Dockerfile.bad")).isSameAs(ignore);
  }

  /** A malformed .dockerignore pattern is the builder's error, naming the file and the line. */
  @Test
  void of_aMalformedIgnorePattern_namesItsFileAndLine() {
    DockerIgnore.PatternException bad =
        catchThrowableOfType(
            DockerIgnore.PatternException.class,
            () -> DockerIgnore.parse("a\n\n!\n", "app.Dockerfile.dockerignore"));

    DockerfileException e = DockerfileException.of(bad);

    assertThat(e)
        .hasMessage(
            "app.Dockerfile.dockerignore:3: illegal exclusion pattern: \"!\"; fix the pattern;"
                + " see https://docs.docker.com/build/concepts/context/#dockerignore-files")
        .hasCause(bad);
    assertThat(e.file()).isEqualTo("app.Dockerfile.dockerignore");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.in("Dockerfile.bad")).isSameAs(e);
  }
}
