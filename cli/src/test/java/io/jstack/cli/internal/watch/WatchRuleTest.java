package io.jstack.cli.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.Project;
import io.jstack.compose.ProjectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchRuleTest {
  @TempDir Path dir;

  Project load(String yaml) throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, yaml);
    return ComposeLoader.load(ProjectOptions.of(List.of(file), Map.of("HOME", "/root"), dir))
        .project();
  }

  @Test
  void aSyncRule_takesWhatIsBelowItsPath_butNotWhatItIgnores_orEditorsLeave() throws Exception {
    Project p =
        load(
            """
            name: demo
            services:
              web:
                image: busybox
                develop:
                  watch:
                    - {path: ./src, target: /app/, action: sync, ignore: ["*.tmp", "build/"]}
            """);
    WatchRule r = WatchRule.of(p, List.of()).get(0);
    assertThat(r.path()).isEqualTo(dir.resolve("src"));
    assertThat(r.takes(dir.resolve("src/a.js"))).isTrue();
    assertThat(r.targetOf(dir.resolve("src/lib/a.js"))).isEqualTo("/app/lib/a.js");
    assertThat(r.targetOf(dir.resolve("src"))).isEqualTo("/app/");
    assertThat(r.takes(dir.resolve("src/x.tmp"))).isFalse();
    assertThat(r.takes(dir.resolve("src/build/out.js"))).isFalse();
    assertThat(r.takes(dir.resolve("src/.git/index"))).isFalse();
    assertThat(r.takes(dir.resolve("src/lib/a.js~"))).isFalse();
    assertThat(r.takes(dir.resolve("src/.a.js.swp"))).isFalse();
    assertThat(r.takes(dir.resolve("other/a.js"))).isFalse();
  }

  @Test
  void include_takesOnlyWhatItNames() throws Exception {
    Project p =
        load(
            """
            name: demo
            services:
              web:
                image: busybox
                develop:
                  watch:
                    - {path: ., target: /app, action: sync+restart, include: ["*.conf"]}
            """);
    WatchRule r = WatchRule.of(p, List.of("web")).get(0);
    assertThat(r.action()).isEqualTo(WatchRule.Action.SYNC_RESTART);
    assertThat(r.takes(dir.resolve("nginx.conf"))).isTrue();
    assertThat(r.takes(dir.resolve("index.html"))).isFalse();
  }

  /** Compose's watch patterns are .dockerignore's: moby's patternmatcher, escapes and classes. */
  @Test
  void patterns_areMatchedAsDockerignoresAre() throws Exception {
    Project p =
        load(
            """
            name: demo
            services:
              web:
                image: busybox
                develop:
                  watch:
                    - path: .
                      target: /app
                      action: sync
                      ignore: ['draft\\*', 'file[!a]', '**/tmp']
            """);
    WatchRule r = WatchRule.of(p, List.of()).get(0);
    assertThat(r.takes(dir.resolve("draft*"))).isFalse();
    assertThat(r.takes(dir.resolve("drafts"))).isTrue();
    assertThat(r.takes(dir.resolve("filea"))).isFalse();
    assertThat(r.takes(dir.resolve("file!"))).isFalse();
    assertThat(r.takes(dir.resolve("fileb"))).isTrue();
    assertThat(r.takes(dir.resolve("a/b/tmp/x.js"))).isFalse();
  }

  @Test
  void aMalformedPattern_saysWhichRuleAndPattern() throws Exception {
    Project p =
        load(
            """
            name: demo
            services:
              web:
                image: busybox
                develop:
                  watch:
                    - {path: ., target: /app, action: sync, ignore: ['*.tmp', '[']}
            """);
    assertThatThrownBy(() -> WatchRule.of(p, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "service web, develop.watch[0] ignore[1]: syntax error in pattern [; fix the pattern");
  }

  @Test
  void wrongRules_sayWhichAndWhatToDo() throws Exception {
    Project noTarget =
        load(
            """
            name: demo
            services:
              web:
                image: busybox
                develop:
                  watch:
                    - {path: ./src, action: sync}
            """);
    assertThatThrownBy(() -> WatchRule.of(noTarget, List.of()))
        .hasMessage(
            "service web, develop.watch[0] syncs without an absolute target: name where path goes"
                + " in the container");
    Project badAction =
        load(
            """
            name: demo
            services:
              web:
                image: busybox
                develop:
                  watch:
                    - {path: ./src, action: copy, target: /app}
            """);
    assertThatThrownBy(() -> WatchRule.of(badAction, List.of()))
        .hasMessageContaining("has action copy: take sync, rebuild, sync+restart or sync+exec");
  }
}
