package io.jstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.runtime.ResidentCall;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine runs for a thin client and what it leaves to the client's own process, and that a
 * command run so reads the client's directory, not the engine's.
 */
class ResidentCliTest {
  @TempDir Path dir;
  final ResidentCli cli = new ResidentCli();

  /** A call from a client in {@code workdir} with {@code env}, its output kept. */
  static final class Call implements ResidentCall {
    final List<String> args;
    final Path workdir;
    final Map<String, String> env;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    Call(Path workdir, Map<String, String> env, String... args) {
      this.args = List.of(args);
      this.workdir = workdir;
      this.env = env;
    }

    @Override
    public List<String> args() {
      return args;
    }

    @Override
    public Path workdir() {
      return workdir;
    }

    @Override
    public Map<String, String> environment() {
      return env;
    }

    @Override
    public boolean terminal() {
      return false;
    }

    @Override
    public OutputStream out() {
      return out;
    }

    @Override
    public OutputStream err() {
      return err;
    }

    @Override
    public void onInterrupt(@Nullable Runnable press) {}

    @Override
    public void halt(int status) {
      throw new AssertionError("halted with " + status);
    }
  }

  @Nullable String refusal(String... args) {
    return cli.refusal(new Call(dir, Map.of(), args));
  }

  @Test
  void commandsThatNeedTheirOwnProcess_areRefused_sayingWhy() {
    assertThat(refusal("exec", "web", "sh"))
        .isEqualTo("exec attaches the process's input and terminal");
    assertThat(refusal("run", "--rm", "web"))
        .isEqualTo("run attaches the process's input and terminal");
    assertThat(refusal("engine", "stop"))
        .isEqualTo("engine commands start, stop and watch the engine itself");
    assertThat(refusal("image", "load"))
        .isEqualTo("image load reads the archive from standard input");
    assertThat(refusal("-f", "-", "config"))
        .isEqualTo("the command line reads standard input ('-')");
    assertThat(refusal("@args.txt"))
        .isEqualTo("argument files (@args.txt) are read by the jstack process");
    assertThat(cli.refusal(new Call(dir, Map.of("JSTACK_DATA_ROOT", "data"), "ps")))
        .isEqualTo("JSTACK_DATA_ROOT is a relative path");
  }

  @Test
  void everyOtherCommandLine_runsInTheEngine_usageErrorsIncluded() {
    assertThat(refusal("ps")).isNull();
    assertThat(refusal("--engine", "embedded", "up", "-d", "--wait")).isNull();
    assertThat(refusal("logs", "-f")).isNull();
    assertThat(refusal("image", "load", "-i", "app.tar")).isNull();
    assertThat(refusal("image", "build", "-t", "app", ".")).isNull();
    assertThat(refusal("nosuch")).isNull();
    assertThat(refusal("ps", "--bogus")).isNull();
    assertThat(cli.refusal(new Call(dir, Map.of("JSTACK_DATA_ROOT", "/var/lib/x"), "ps"))).isNull();
  }

  @Test
  void relativePaths_areReadInTheClientsDirectory() throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("app.yaml"), "services:\n  web:\n    image: nginx:${TAG}\n");
    assertThat(project.toAbsolutePath()).isNotEqualTo(Path.of("").toAbsolutePath());
    Call call =
        new Call(project, Map.of("TAG", "1.27"), "-f", "app.yaml", "config", "-o", "out.yaml");
    assertThat(cli.run(call)).isZero();
    assertThat(Files.readString(project.resolve("out.yaml")))
        .contains("name: project")
        .contains("image: nginx:1.27");
  }

  @Test
  void failures_andUsageErrors_keepTheirExitCodesAndMessages() {
    Call missing = new Call(dir, Map.of(), "-f", "missing.yaml", "config");
    assertThat(cli.run(missing)).isEqualTo(1);
    assertThat(missing.err.toString(StandardCharsets.UTF_8))
        .startsWith("jstack: compose file missing.yaml not found");
    Call usage = new Call(dir, Map.of(), "ps", "--bogus");
    assertThat(cli.run(usage)).isEqualTo(2);
    assertThat(usage.err.toString(StandardCharsets.UTF_8))
        .isEqualTo("jstack: unknown flag '--bogus' (see 'jstack ps --help')\n");
  }
}
