package io.jstack.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.image.Healthcheck;
import io.jstack.runtime.image.ImageConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ContainerSettingsTest {
  @Test
  void withImageDefaults_addsTheImagesLabelsUnderItsOwn_andItsStopSignalWhereItHasNone() {
    ContainerSettings own = settings(Map.of("team", "own", "app", "web"), null);
    ImageConfig image = image(Map.of("team", "image", "org.example.tier", "front"), "SIGQUIT");

    ContainerSettings merged = own.withImageDefaults(image);

    assertThat(merged.labels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("team", "own", "app", "web", "org.example.tier", "front"));
    assertThat(merged.stopSignal()).isEqualTo("SIGQUIT");
    assertThat(settings(Map.of(), "SIGINT").withImageDefaults(image).stopSignal())
        .isEqualTo("SIGINT");
    assertThat(merged.healthcheck()).as("neither has one").isNull();
  }

  @Test
  void withImageDefaults_completesItsOwnHealthcheckFromTheImages() {
    Duration five = Duration.ofSeconds(5);
    Healthcheck fromImage = new Healthcheck(List.of("CMD", "true"), five, five, five, five, 3);
    Healthcheck own =
        new Healthcheck(
            List.of("CMD", "ok"), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);
    ImageConfig image =
        new ImageConfig(
            List.of(), List.of(), List.of(), null, null, Map.of(), List.of(), null, fromImage,
            List.of(), List.of(), List.of());

    assertThat(settings(Map.of(), null, null).withImageDefaults(image).healthcheck())
        .isEqualTo(fromImage);
    assertThat(settings(Map.of(), null, own).withImageDefaults(image).healthcheck())
        .isEqualTo(new Healthcheck(List.of("CMD", "ok"), five, five, five, five, 3));
  }

  private static ImageConfig image(Map<String, String> labels, @Nullable String stopSignal) {
    return new ImageConfig(
        List.of(),
        List.of(),
        List.of(),
        null,
        null,
        labels,
        List.of(),
        stopSignal,
        null,
        List.of(),
        List.of(),
        List.of());
  }

  /** Settings of a busybox container with {@code labels} and {@code stopSignal}, else defaults. */
  static ContainerSettings settings(Map<String, String> labels, @Nullable String stopSignal) {
    return settings(labels, stopSignal, null);
  }

  private static ContainerSettings settings(
      Map<String, String> labels, @Nullable String stopSignal, @Nullable Healthcheck check) {
    return new ContainerSettings(
        "busybox",
        null,
        List.of("true"),
        List.of(),
        null,
        null,
        null,
        null,
        labels,
        stopSignal,
        null,
        check,
        List.of(),
        List.of(),
        ContainerConfig.Console.NONE,
        ContainerSettings.Host.defaults("bridge", List.of(), List.of(), Map.of()),
        Map.of());
  }
}
