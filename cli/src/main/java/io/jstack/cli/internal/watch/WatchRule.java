package io.jstack.cli.internal.watch;

import io.jstack.compose.Develop;
import io.jstack.compose.Hook;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.engine.docker.DockerIgnore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One {@code develop.watch} rule of a service, read for use: which host files it takes, where each
 * goes in the service's containers, and what follows a change.
 *
 * @param path the host file or directory it watches (absolute)
 * @param target where {@code path} is in the container, for the sync actions; null for rebuild
 * @param exec the command of {@code sync+exec}, null for the other actions
 */
public record WatchRule(
    String service,
    Path path,
    Action action,
    @Nullable String target,
    DockerIgnore ignore,
    @Nullable DockerIgnore include,
    @Nullable Hook exec,
    boolean initialSync) {

  /** What a rule does with a batch of changes. */
  public enum Action {
    SYNC("sync"),
    REBUILD("rebuild"),
    SYNC_RESTART("sync+restart"),
    SYNC_EXEC("sync+exec");

    private final String word;

    Action(String word) {
      this.word = word;
    }

    static @Nullable Action named(String word) {
      for (Action a : values()) {
        if (a.word.equals(word)) {
          return a;
        }
      }
      return null;
    }

    boolean syncs() {
      return this != REBUILD;
    }

    @Override
    public String toString() {
      return word;
    }
  }

  /**
   * What editors and version control write beside the files they change, never synced, as Docker
   * Compose leaves them out: git's directory, backups, Vim's and Emacs' and JetBrains' temporaries.
   */
  static final DockerIgnore EPHEMERAL =
      DockerIgnore.parse(
          String.join(
              "\n",
              ".git",
              "**/.git",
              "**/*~",
              "**/.#*",
              "**/*.swp",
              "**/*.swx",
              "**/4913",
              "**/*___jb_tmp___",
              "**/*___jb_old___"),
          "ephemeral files");

  /**
   * The rules of {@code services} (all with rules when empty) in {@code project}.
   *
   * @throws IllegalArgumentException saying which service and rule is wrong: no path, an unknown
   *     action, a sync without target, a sync+exec without command, a malformed pattern
   */
  public static List<WatchRule> of(Project project, Collection<String> services) {
    List<WatchRule> rules = new ArrayList<>();
    for (Service s : project.services().values()) {
      if (!services.isEmpty() && !services.contains(s.name()) || s.develop() == null) {
        continue;
      }
      int n = 0;
      for (Develop.Watch w : s.develop().watch()) {
        String where = "service " + s.name() + ", develop.watch[" + n++ + "]";
        if (w.path() == null) {
          throw new IllegalArgumentException(where + " has no path: name the file or directory");
        }
        Action action = Action.named(w.action() == null ? "" : w.action().toLowerCase(Locale.ROOT));
        if (action == null) {
          throw new IllegalArgumentException(
              where
                  + " has action "
                  + w.action()
                  + ": take sync, rebuild, sync+restart or sync+exec");
        }
        if (action.syncs() && (w.target() == null || !w.target().startsWith("/"))) {
          throw new IllegalArgumentException(
              where + " syncs without an absolute target: name where path goes in the container");
        }
        if (action == Action.SYNC_EXEC && (w.exec() == null || w.exec().command().isEmpty())) {
          throw new IllegalArgumentException(
              where + " is sync+exec without exec.command: name the command to run");
        }
        rules.add(
            new WatchRule(
                s.name(),
                Path.of(w.path()).toAbsolutePath().normalize(),
                action,
                w.target(),
                patterns(where, "ignore", w.ignore()),
                w.include().isEmpty() ? null : patterns(where, "include", w.include()),
                action == Action.SYNC_EXEC ? w.exec() : null,
                w.initialSync()));
      }
    }
    return rules;
  }

  /** A rule's {@code ignore} or {@code include} patterns, matched as .dockerignore's are. */
  private static DockerIgnore patterns(String where, String field, List<String> patterns) {
    try {
      return DockerIgnore.parse(String.join("\n", patterns), field);
    } catch (DockerIgnore.PatternException e) {
      // One pattern a line: the line says which.
      throw new IllegalArgumentException(
          where + " " + field + "[" + (e.line() - 1) + "]: " + e.problem() + "; " + e.fix(), e);
    }
  }

  /** Whether this rule takes the changed host file {@code p}. */
  public boolean takes(Path p) {
    if (!p.startsWith(path)) {
      return false;
    }
    String rel = relative(p);
    if (rel.isEmpty()) {
      return true;
    }
    if (EPHEMERAL.excludes(rel) || ignore.excludes(rel)) {
      return false;
    }
    return include == null || include.excludes(rel);
  }

  /** Where the host file {@code p} (below {@link #path}) is in the container. */
  public String targetOf(Path p) {
    String rel = relative(p);
    String base = target == null ? "/" : target;
    return rel.isEmpty() ? base : base.replaceAll("/+$", "") + "/" + rel;
  }

  private String relative(Path p) {
    return path.relativize(p).toString().replace('\\', '/');
  }
}
