package io.jstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
  @TempDir Path dir;
  Path compose;

  @BeforeEach
  void writeProject() throws IOException {
    compose = dir.resolve("compose.yaml");
    Files.writeString(
        compose,
        """
        name: demo
        services:
          web:
            image: nginx:${TAG:-1.27}
            ports: ["8080:80"]
            depends_on: [db]
            environment:
              GREETING: "cost: $$5"
          db:
            image: postgres
            profiles: [data]
            volumes: [data:/var/lib/postgresql/data]
          tools:
            image: busybox
            profiles: [debug]
        volumes:
          data: {}
        """);
  }

  private Run config(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "-f";
    all[1] = compose.toString();
    all[2] = "config";
    System.arraycopy(args, 0, all, 3, args.length);
    return JstackTest.run(all);
  }

  @Test
  void config_printsTheCanonicalModel() {
    Run r = JstackTest.run("-f", compose.toString(), "--profile", "data", "config");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("image: nginx:1.27")
        .contains("published: '8080'")
        .contains("GREETING: 'cost: $$5'")
        .contains("name: demo_data")
        .doesNotContain("tools:");
  }

  @Test
  void config_listings() {
    assertThat(
            JstackTest.run("-f", compose.toString(), "--profile", "*", "config", "--services")
                .out())
        .isEqualTo("db\ntools\nweb\n");
    assertThat(config("--profiles").out()).isEqualTo("data\ndebug\n");
    assertThat(
            JstackTest.run("-f", compose.toString(), "--profile", "data", "config", "--volumes")
                .out())
        .isEqualTo("data\n");
    assertThat(
            JstackTest.run("-f", compose.toString(), "--profile", "data", "config", "--images")
                .out())
        .isEqualTo("postgres\nnginx:1.27\n");
  }

  @Test
  void config_withAServiceThatNeedsADisabledOne_failsWithTheFix() {
    Run r = config("--services");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "jstack: compose.yaml:6:18: services.web.depends_on.db: service \"web\" depends on"
                    .replace("compose.yaml", compose.toString())
                + " service \"db\", which is disabled by its profiles [data]: enable one with"
                + " --profile, or mark the dependency required: false\n");
  }

  @Test
  void config_hashIsStableAndPerService() {
    String all =
        JstackTest.run("-f", compose.toString(), "--profile", "*", "config", "--hash", "*").out();
    assertThat(all.lines()).hasSize(3).allMatch(l -> l.matches("[a-z]+ [0-9a-f]{64}"));
    String web =
        JstackTest.run("-f", compose.toString(), "--profile", "*", "config", "--hash", "web").out();
    assertThat(all).contains(web.strip());
  }

  @Test
  void config_jsonAndOutputFile() throws IOException {
    Path out = dir.resolve("out.json");
    Run r =
        JstackTest.run(
            "-f",
            compose.toString(),
            "--profile",
            "data",
            "config",
            "--format",
            "json",
            "-o",
            out.toString());
    assertThat(r.code()).isZero();
    assertThat(Files.readString(out)).startsWith("{").contains("\"image\" : \"postgres\"");
  }

  @Test
  void config_quietValidatesOnly() {
    Run r = JstackTest.run("-f", compose.toString(), "--profile", "data", "config", "-q");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
  }

  @Test
  void config_noInterpolate_keepsTemplates() {
    Run r =
        JstackTest.run("-f", compose.toString(), "--profile", "data", "config", "--no-interpolate");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("image: nginx:${TAG:-1.27}");
  }

  @Test
  void config_output_reloadsToTheSameOutput() throws IOException {
    Run first = JstackTest.run("-f", compose.toString(), "--profile", "data", "config");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("services:").contains("image: postgres");
    Path again = dir.resolve("again.yaml");
    Files.writeString(again, first.out());
    Run second =
        JstackTest.run(
            "-f",
            again.toString(),
            "--project-directory",
            dir.toString(),
            "--profile",
            "data",
            "config");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
  }

  @Test
  void config_badFile_isOneLineExitOne_andStacktraceOnRequest() throws IOException {
    Files.writeString(compose, "services:\n  web:\n    image: a\n    privileged: maybe\n");
    Run r = config();
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .endsWith("compose.yaml:4:17: services.web.privileged: must be a boolean, not \"maybe\"\n");
    Run traced = JstackTest.run("-f", compose.toString(), "config", "--stacktrace");
    assertThat(traced.code()).isEqualTo(1);
    assertThat(traced.err()).contains("at io.jstack.compose");
  }

  @Test
  void config_unknownFormat_isAUsageError() {
    Run r = config("--format", "toml");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
  }
}
