package io.jstack.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildStepsTest {
  private long now;
  private final BuildSteps steps = new BuildSteps("web", () -> now);
  private final List<String> shown = new ArrayList<>();

  private void at(double seconds, String line) {
    now = (long) (seconds * 1e9);
    shown.add(steps.render(line));
  }

  @Test
  void eachStep_isShownAsItComes_underTheService_withItsTimeWhenItEnds() {
    at(0.0, "Step 1/3 : FROM busybox");
    at(0.01, " ---> 0b5bee4bdd72");
    at(0.01, "Step 2/3 : RUN make");
    at(0.3, " ---> Running in 1a2b3c4d5e6f");
    at(1.0, "compiling");
    at(2.21, " ---> 9f8e7d6c5b4a");
    at(2.3, "Step 3/3 : COPY app /app");
    at(2.3, " ---> Using cache");
    at(2.31, " ---> 0123456789ab");
    at(2.4, "Successfully built 0123456789ab");

    assertThat(shown)
        .containsExactly(
            " web  Step 1/3 : FROM busybox",
            " web   ---> 0b5bee4bdd72",
            " web  Step 2/3 : RUN make",
            " web   ---> Running in 1a2b3c4d5e6f",
            " web  compiling",
            " web   ---> 9f8e7d6c5b4a  2.2s",
            " web  Step 3/3 : COPY app /app",
            " web   ---> Using cache",
            " web   ---> 0123456789ab",
            " web  Successfully built 0123456789ab");
  }

  @Test
  void aLineLikeAnIdOutsideAStep_getsNoTime() {
    at(5.0, " ---> 0b5bee4bdd72");
    at(6.0, "Step 1/1 : FROM busybox");
    at(9.0, " ---> 0b5bee4bdd72");
    at(12.0, " ---> 0b5bee4bdd72");

    assertThat(shown)
        .containsExactly(
            " web   ---> 0b5bee4bdd72",
            " web  Step 1/1 : FROM busybox",
            " web   ---> 0b5bee4bdd72  3.0s",
            " web   ---> 0b5bee4bdd72");
  }
}
