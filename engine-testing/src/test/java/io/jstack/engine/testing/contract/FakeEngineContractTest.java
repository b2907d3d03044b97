package io.jstack.engine.testing.contract;

import io.jstack.engine.Engine;
import io.jstack.engine.Engine.ExecResult;
import io.jstack.engine.Engine.ExecSpec;
import io.jstack.engine.LogStream;
import io.jstack.engine.testing.FakeEngine;
import io.jstack.engine.testing.FakeEngine.Behaviour;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The engine contract on the fake engine, taught what the suite's programs do (it runs none): each
 * {@link Program} by its command, each {@link ExecProgram} by its program's name.
 */
class FakeEngineContractTest extends EngineContract {

  @Override
  protected Engine startEngine() {
    FakeEngine fake = new FakeEngine().localImage(busyboxImage(), "sha256:" + "5e".repeat(32));
    for (Program p : Program.all()) {
      Behaviour b =
          p.exitCode() == null
              ? Behaviour.DEFAULT
              : Behaviour.exitsAfter(Duration.ZERO, p.exitCode());
      for (LogStream.Line line : p.output()) {
        b = b.printing(line.source(), line.text());
      }
      fake.behaveCommand(p.command(), b);
    }
    for (ExecProgram p : ExecProgram.all()) {
      fake.execBehaviour(p.spec().command().get(0), execs(p.spec().command().get(0)));
    }
    return fake;
  }

  /** What the exec programs starting with {@code program} print, told apart by command and env. */
  private static Function<ExecSpec, ExecResult> execs(String program) {
    List<ExecProgram> mine =
        ExecProgram.all().stream().filter(p -> p.spec().command().get(0).equals(program)).toList();
    return spec ->
        mine.stream()
            .filter(
                p -> p.spec().command().equals(spec.command()) && p.spec().env().equals(spec.env()))
            .findFirst()
            .map(
                p ->
                    new ExecResult(
                        p.exitCode(),
                        p.stdout().getBytes(StandardCharsets.UTF_8),
                        p.stderr().getBytes(StandardCharsets.UTF_8)))
            .orElseThrow(() -> new AssertionError("the fake was not taught " + spec));
  }

  @Override
  protected java.util.Map<String, String> knownDifferences() {
    return java.util.Map.of(
        "copy_throughALinkToAVolume_landsInTheVolume",
        "the fake keeps regular files by path, with no links to follow");
  }

  @Override
  protected String registryHost() {
    return "registry.contract.test:5000";
  }
}
