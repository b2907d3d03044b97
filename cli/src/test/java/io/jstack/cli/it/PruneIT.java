package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The docker CLI's {@code container prune}, {@code image prune} and {@code network prune} against
 * each engine: what does not run, what has no name, what was made before {@code until}; on dockerd,
 * which others share, every prune is limited to this test's label.
 */
class PruneIT extends OnEachEngine {

  private String label() {
    return "jstack.it.prune=" + project;
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void prunes_takeWhatNothingUses_andKeepTheRest(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          keep:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
            labels: ["%1$s"]
          done:
            image: jstack-examples/busybox:latest
            command: ["true"]
            labels: ["%1$s"]
        """
            .formatted(label()));
    assertThat(stack.jstack.run(stack.base, "up", "-d").code()).isZero();
    String kept = stack.dockerLines("inspect", "-f", "{{.Id}}", project + "-keep-1").get(0);
    String done = stack.dockerLines("inspect", "-f", "{{.Id}}", project + "-done-1").get(0);
    Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () -> stack.dockerLines("inspect", "-f", "{{.State.Status}}", done).get(0),
            "exited"::equals);
    try {
      // Containers: the exited one goes, the running one stays.
      List<String> pruned =
          stack.dockerLines("container", "prune", "-f", "--filter", "label=" + label());
      assertThat(pruned).contains("Deleted Containers:", done);
      assertThat(pruned).noneMatch(l -> l.contains(kept));
      assertThat(stack.dockerLines("ps", "-a", "-q", "--no-trunc", "--filter", "label=" + label()))
          .containsExactly(kept);

      // Images: a second commit to the same name leaves the first without any (dangling), as does
      // a commit without a name.
      String name = project + "-pruned:1";
      String change = "LABEL " + label();
      String unnamed = stack.dockerLines("commit", "--change", change, kept).get(0);
      stack.dockerLines("exec", kept, "touch", "/first");
      String first = stack.dockerLines("commit", "--change", change, kept, name).get(0);
      stack.dockerLines("exec", kept, "touch", "/second");
      String second = stack.dockerLines("commit", "--change", change, kept, name).get(0);
      assertThat(List.of(unnamed, first, second)).doesNotHaveDuplicates();
      assertThat(images()).containsExactlyInAnyOrder(unnamed, first, second);
      assertThat(stack.dockerLines("inspect", "-f", "{{len .RepoTags}}", first))
          .containsExactly("0");
      List<String> dangling =
          stack.dockerLines("image", "prune", "-f", "--filter", "label=" + label());
      assertThat(dangling).contains("deleted: " + unnamed, "deleted: " + first);
      assertThat(dangling).noneMatch(l -> l.startsWith("untagged: @"));
      assertThat(images()).containsExactly(second);
      // With -a, a named image goes too, once no container is made from it.
      List<String> all =
          stack.dockerLines("image", "prune", "-a", "-f", "--filter", "label=" + label());
      assertThat(all).contains("untagged: " + name, "deleted: " + second);
      assertThat(images()).isEmpty();

      // Networks: one made just now outlives until=1h, not until=0s.
      stack.dockerLines("network", "create", "--label", label(), project + "-spare");
      assertThat(
              stack.dockerLines(
                  "network", "prune", "-f", "--filter", "label=" + label(), "--filter", "until=1h"))
          .noneMatch(l -> l.contains(project + "-spare"));
      Thread.sleep(1100); // until is read in seconds
      assertThat(
              stack.dockerLines(
                  "network", "prune", "-f", "--filter", "label=" + label(), "--filter", "until=0s"))
          .contains(project + "-spare");
      assertThat(stack.dockerLines("network", "ls", "-q", "--filter", "label=" + label()))
          .isEmpty();
    } finally {
      for (String id :
          stack
              .docker("images", "-q", "--no-trunc", "--filter", "label=" + label())
              .out()
              .lines()
              .filter(l -> !l.isBlank())
              .toList()) {
        stack.docker("rmi", "-f", id);
      }
      stack.docker("network", "rm", project + "-spare");
    }
  }

  /** The ids of this test's images. */
  private List<String> images() {
    return stack.dockerLines("images", "-q", "--no-trunc", "--filter", "label=" + label());
  }
}
