package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.EngineException;
import io.jstack.runtime.build.internal.StageState;
import io.jstack.runtime.image.ImageConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommitChangesTest {
  @Test
  void changes_setTheDefaults_asTheirInstructionsWould() {
    ImageConfig base = StageState.scratchDefaults();
    ImageConfig c =
        CommitChanges.apply(
            base,
            List.of(
                "ENV MODE=seeded",
                "CMD [\"cat\", \"/seed.txt\"]",
                "WORKDIR /srv",
                "WORKDIR data",
                "EXPOSE 8080",
                "LABEL tier=db",
                "USER 1000",
                "  "));
    assertThat(c.env()).contains("MODE=seeded");
    assertThat(c.cmd()).containsExactly("cat", "/seed.txt");
    assertThat(c.workingDir()).isEqualTo("/srv/data");
    assertThat(c.exposedPorts()).contains("8080/tcp");
    assertThat(c.labels()).containsEntry("tier", "db");
    assertThat(c.user()).isEqualTo("1000");
  }

  @Test
  void aChangeACommitDoesNotTake_orThatDoesNotParse_isRefused() {
    ImageConfig base = StageState.scratchDefaults();
    assertThatThrownBy(() -> CommitChanges.apply(base, List.of("RUN rm -rf /")))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessageStartingWith(
            "RUN is not a valid change command: a commit takes CMD, ENTRYPOINT");
    assertThatThrownBy(() -> CommitChanges.apply(base, List.of("EXPOSE")))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessageStartingWith("cannot read the change EXPOSE");
  }
}
