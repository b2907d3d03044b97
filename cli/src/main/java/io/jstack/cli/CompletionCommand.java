package io.jstack.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jstack completion bash|zsh}: the shell completion script, from the command model. */
@Command(
    name = "completion",
    description = "Print a shell completion script (bash or zsh).",
    footer = {
      "",
      "Examples:",
      "  source <(jstack completion bash)",
      "  jstack completion zsh > \"${fpath[1]}/_jstack\""
    })
final class CompletionCommand implements Callable<Integer> {
  enum Shell {
    bash,
    zsh
  }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "bash|zsh", description = "The shell.")
  Shell shell;

  @Override
  public Integer call() {
    CommandLine root = spec.commandLine().getParent();
    String script = AutoComplete.bash("jstack", root);
    if (shell == Shell.zsh) {
      // picocli's script runs under zsh through bash completion emulation.
      script = "#compdef jstack\nautoload -U +X bashcompinit && bashcompinit\n" + script;
    }
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return Jstack.EXIT_OK;
  }
}
