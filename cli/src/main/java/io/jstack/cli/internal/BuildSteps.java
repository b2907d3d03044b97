package io.jstack.cli.internal;

import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Renders one build's output lines ({@code docker build}'s classic text) for the cli, each under
 * its service's name, and gives each step its time: the line that ends a step ({@code ---> <id>})
 * gets how long the step took since its {@code Step N/M} line, as BuildKit's plain progress shows
 * {@code DONE 2.1s}. A cached step says so ({@code ---> Using cache}) and takes no time worth
 * showing; times under 0.05 s are left out. A step whose lines arrive all at once (the engine held
 * them while another stage's turn to print lasted) shows no time rather than a wrong one.
 */
public final class BuildSteps {
  private static final Pattern STEP = Pattern.compile("^Step \\d+/\\d+ : .*");
  private static final Pattern DONE = Pattern.compile("^ ---> [0-9a-f]{12}$");

  private final String service;
  private final LongSupplier nanos;
  private long started = -1;

  /** Lines of {@code service}'s build, timed by {@code nanos} ({@link System#nanoTime}). */
  public BuildSteps(String service, LongSupplier nanos) {
    this.service = service;
    this.nanos = nanos;
  }

  /** Lines of {@code service}'s build, timed by the system clock. */
  public BuildSteps(String service) {
    this(service, System::nanoTime);
  }

  /** How {@code line}, the next line of the build's output, is shown. */
  public String render(String line) {
    long now = nanos.getAsLong();
    String shown = line;
    if (STEP.matcher(line).matches()) {
      started = now;
    } else if (DONE.matcher(line).matches() && started >= 0) {
      double seconds = (now - started) / 1e9;
      started = -1;
      if (seconds >= 0.05) {
        shown = line + String.format(Locale.ROOT, "  %.1fs", seconds);
      }
    }
    return " " + service + "  " + shown;
  }
}
