package io.jstack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How jstack:down reads Failsafe's summary to decide whether to keep the services' logs. */
class DownMojoTest {
  @TempDir Path dir;

  private boolean failed(String xml) throws Exception {
    Path summary = dir.resolve("failsafe-summary.xml");
    Files.writeString(summary, xml);
    return DownMojo.testsFailed(summary);
  }

  @Test
  void aPassingRun_orNoSummary_isNotAFailure() throws Exception {
    assertThat(DownMojo.testsFailed(dir.resolve("none.xml"))).isFalse();
    assertThat(
            failed(
                "<failsafe-summary result=\"0\" timeout=\"false\"><completed>6</completed>"
                    + "<errors>0</errors><failures>0</failures><skipped>0</skipped>"
                    + "</failsafe-summary>"))
        .isFalse();
    assertThat(failed("<failsafe-summary result=\"254\" timeout=\"false\"/>")).isFalse();
  }

  @Test
  void aFailedOrBrokenTest_orABrokenFork_isAFailure() throws Exception {
    assertThat(
            failed(
                "<failsafe-summary result=\"255\" timeout=\"false\"><completed>6</completed>"
                    + "<errors>0</errors><failures>1</failures></failsafe-summary>"))
        .isTrue();
    assertThat(
            failed(
                "<failsafe-summary timeout=\"false\"><errors>2</errors><failures>0</failures>"
                    + "</failsafe-summary>"))
        .isTrue();
    assertThat(failed("<failsafe-summary result=\"1\" timeout=\"true\"/>")).isTrue();
  }
}
