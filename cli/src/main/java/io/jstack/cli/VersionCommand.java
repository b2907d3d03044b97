package io.jstack.cli;

import io.jstack.cli.internal.VersionProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jstack version}: the version of this jstack. */
@Command(name = "version", description = "Show the jstack version.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--short", description = "Print only the version number.")
  boolean shortForm;

  @Override
  public Integer call() {
    String version = VersionProvider.version();
    spec.commandLine().getOut().println(shortForm ? version : "jstack version " + version);
    return Jstack.EXIT_OK;
  }
}
