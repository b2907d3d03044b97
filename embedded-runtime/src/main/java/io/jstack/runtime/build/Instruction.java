package io.jstack.runtime.build;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One Dockerfile instruction with the line it starts on. In a {@link Dockerfile} the words are as
 * written (quotes included where the frontend removes them later); in a {@link BuildPlan} they are
 * substituted where BuildKit's frontend substitutes them. Absent flags are empty strings or false.
 */
public sealed interface Instruction {
  /** The 1-based line the instruction starts on. */
  int line();

  /** The instruction's keyword in upper case, e.g. {@code COPY}. */
  default String keyword() {
    return getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
  }

  /** A {@code KEY=value} pair of ENV or LABEL. */
  record KeyValue(String key, String value) {}

  /**
   * One name of ARG with its default, null when it has none. Once a stage is expanded, {@code
   * defaultValue} is the value the name has (a build argument's, a global ARG's, or the default
   * substituted) and {@code written} what BuildKit's history entry says of it ({@code ARG
   * NAME=written}): the default substituted, or as written when a build argument gives the value.
   */
  record ArgDefinition(String name, @Nullable String defaultValue, @Nullable String written) {
    /** A definition as the Dockerfile writes it. */
    public ArgDefinition(String name, @Nullable String defaultValue) {
      this(name, defaultValue, defaultValue);
    }
  }

  /**
   * {@code FROM [--platform=p] image [AS name]}.
   *
   * @param stageName the lower-cased name after AS; empty when the stage has none
   */
  record From(int line, String image, String stageName, String platform) implements Instruction {}

  /**
   * {@code RUN [--mount=...] [--network=...] [--security=...] command}.
   *
   * @param mounts the {@code --mount} values as written; a {@link BuildPlan} step parses them
   * @param network default, none or host
   * @param security sandbox or insecure
   * @param heredocs the here-documents, in the order their delimiters appear
   */
  record Run(
      int line,
      Command command,
      List<String> mounts,
      String network,
      String security,
      List<Heredoc> heredocs)
      implements Instruction {
    public Run {
      mounts = List.copyOf(mounts);
      heredocs = List.copyOf(heredocs);
    }
  }

  /** {@code CMD}; its command is never substituted by the frontend. */
  record Cmd(int line, Command command) implements Instruction {}

  /** {@code ENTRYPOINT}; its command is never substituted by the frontend. */
  record Entrypoint(int line, Command command) implements Instruction {}

  /** {@code ENV k=v ...} or the old {@code ENV k v}. */
  record Env(int line, List<KeyValue> pairs) implements Instruction {
    public Env {
      pairs = List.copyOf(pairs);
    }
  }

  /** {@code ARG name[=default] ...}. */
  record Arg(int line, List<ArgDefinition> args) implements Instruction {
    public Arg {
      args = List.copyOf(args);
    }
  }

  /** {@code LABEL k=v ...}. */
  record Label(int line, List<KeyValue> pairs) implements Instruction {
    public Label {
      pairs = List.copyOf(pairs);
    }
  }

  /** {@code MAINTAINER name} (deprecated upstream, still accepted). */
  record Maintainer(int line, String name) implements Instruction {}

  /** {@code EXPOSE port[/proto] ...}. */
  record Expose(int line, List<String> ports) implements Instruction {
    public Expose {
      ports = List.copyOf(ports);
    }
  }

  /** {@code VOLUME ["/a"]} or {@code VOLUME /a /b}. */
  record Volume(int line, List<String> paths) implements Instruction {
    public Volume {
      paths = List.copyOf(paths);
    }
  }

  /** {@code USER user[:group]}. */
  record User(int line, String user) implements Instruction {}

  /** {@code WORKDIR path}. */
  record Workdir(int line, String path) implements Instruction {}

  /** {@code SHELL ["executable", "args"]}; only the JSON form is allowed. */
  record Shell(int line, List<String> shell) implements Instruction {
    public Shell {
      shell = List.copyOf(shell);
    }
  }

  /** {@code STOPSIGNAL signal}. */
  record StopSignal(int line, String signal) implements Instruction {}

  /**
   * {@code HEALTHCHECK [options] CMD command} or {@code HEALTHCHECK NONE}.
   *
   * @param test Docker's form: {@code [NONE]}, {@code [CMD, args...]} or {@code [CMD-SHELL, line]}
   * @param interval zero when not given, as the other durations
   * @param retries zero when not given
   */
  record Healthcheck(
      int line,
      List<String> test,
      Duration interval,
      Duration timeout,
      Duration startPeriod,
      Duration startInterval,
      int retries)
      implements Instruction {
    public Healthcheck {
      test = List.copyOf(test);
    }
  }

  /**
   * {@code ONBUILD instruction}.
   *
   * @param expression the trigger as stored in the image (heredocs appended)
   * @param trigger the trigger parsed, to reject bad triggers early
   */
  record Onbuild(int line, String expression, Instruction trigger) implements Instruction {}

  /**
   * {@code COPY [flags] src... dest}.
   *
   * @param sources paths in the context or in {@code from}
   * @param inline here-documents used as sources
   * @param from a stage name, stage index or image; empty for the build context
   */
  record Copy(
      int line,
      List<String> sources,
      List<Heredoc> inline,
      String destination,
      String from,
      String chown,
      String chmod,
      boolean link,
      List<String> excludes,
      boolean parents)
      implements Instruction {
    public Copy {
      sources = List.copyOf(sources);
      inline = List.copyOf(inline);
      excludes = List.copyOf(excludes);
    }
  }

  /**
   * {@code ADD [flags] src... dest}; sources may also be URLs or git repositories.
   *
   * @param keepGitDir null when not given
   * @param unpack null when not given
   */
  record Add(
      int line,
      List<String> sources,
      List<Heredoc> inline,
      String destination,
      String chown,
      String chmod,
      boolean link,
      List<String> excludes,
      String checksum,
      @Nullable Boolean keepGitDir,
      @Nullable Boolean unpack)
      implements Instruction {
    public Add {
      sources = List.copyOf(sources);
      inline = List.copyOf(inline);
      excludes = List.copyOf(excludes);
    }
  }
}
