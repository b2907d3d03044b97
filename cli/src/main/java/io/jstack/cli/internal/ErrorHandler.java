package io.jstack.cli.internal;

import io.jstack.cli.Jstack;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on stderr and an exit code: 2 for a wrong command line, 1 for a
 * command that failed. A stack trace is printed only when {@code --stacktrace} was given.
 */
public final class ErrorHandler
    implements IParameterExceptionHandler, IExecutionExceptionHandler, IExitCodeExceptionMapper {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("jstack: " + usageMessage(ex) + hint(cl));
    err.flush();
    return Jstack.EXIT_USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (stacktraceRequested(parsed)) {
      ex.printStackTrace(err);
    }
    String message = ex.getMessage();
    if (message == null || message.isBlank()) {
      message = ex.getClass().getSimpleName() + " (run again with --stacktrace for details)";
    }
    err.println("jstack: " + message);
    err.flush();
    return Jstack.EXIT_FAILURE;
  }

  @Override
  public int getExitCode(Throwable exception) {
    return exception instanceof ParameterException ? Jstack.EXIT_USAGE : Jstack.EXIT_FAILURE;
  }

  private static String usageMessage(ParameterException ex) {
    if (ex instanceof UnmatchedArgumentException unmatched) {
      List<String> unmatchedArgs = unmatched.getUnmatched();
      String first = unmatchedArgs.isEmpty() ? "" : unmatchedArgs.get(0);
      List<String> suggestions = unmatched.getSuggestions();
      String suggestion =
          suggestions.isEmpty() ? "" : "; did you mean '" + suggestions.get(0) + "'?";
      if (first.startsWith("-")) {
        return "unknown flag '" + first + "'" + suggestion;
      }
      boolean hasVerbs = !ex.getCommandLine().getSubcommands().isEmpty();
      return (hasVerbs ? "unknown command '" : "unexpected argument '") + first + "'" + suggestion;
    }
    return String.valueOf(ex.getMessage());
  }

  private static String hint(CommandLine cl) {
    return " (see '" + cl.getCommandSpec().qualifiedName() + " --help')";
  }

  private static boolean stacktraceRequested(ParseResult parsed) {
    for (ParseResult pr = parsed; pr != null; pr = pr.subcommand()) {
      if (pr.hasMatchedOption("--stacktrace")) {
        return true;
      }
    }
    return false;
  }
}
