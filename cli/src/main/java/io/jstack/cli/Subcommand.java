package io.jstack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the commands of a group ({@code jstack image ...}, {@code jstack volume ...}, {@code jstack
 * network ...}) share: the global options, the output.
 */
@Command
abstract class Subcommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  Jstack root() {
    return (Jstack) spec.root().userObject();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints what an {@code inspect} shows: indented JSON. */
  void printJson(JsonNode json) throws JsonProcessingException {
    out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    out().flush();
  }

  static final ObjectMapper JSON = new ObjectMapper();
}
