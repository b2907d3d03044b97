package io.jstack.runtime.build.internal;

/**
 * COPY and ADD {@code --chmod}: an octal mode up to 07777, or, as BuildKit's Dockerfile frontend
 * accepts since 1.14 ({@code dispatchCopy} in {@code dockerfile2llb/convert_copy.go}, which parses
 * with BSD's {@code setmode} rules), a symbolic mode such as {@code u+x,go-w} or {@code a=rX},
 * applied to each file's own mode with no umask.
 */
public final class Modes {
  private Modes() {}

  /**
   * Checks {@code chmod}.
   *
   * @throws IllegalArgumentException naming the value when it is neither octal nor symbolic
   */
  public static void check(String chmod) {
    if (chmod.isEmpty()) {
      return;
    }
    apply(chmod, 0, false);
  }

  /**
   * The mode (permission bits with setuid, setgid, sticky) a file of mode {@code current} gets.
   *
   * @throws IllegalArgumentException when {@code chmod} is neither octal nor symbolic
   */
  public static int apply(String chmod, int current, boolean directory) {
    current &= 07777;
    if (chmod.isEmpty()) {
      return current;
    }
    if (chmod.chars().allMatch(Character::isDigit)) {
      long v;
      try {
        v = chmod.length() > 12 ? Long.MAX_VALUE : Long.parseLong(chmod, 8);
      } catch (NumberFormatException e) {
        v = Long.MAX_VALUE;
      }
      if (v > 07777) {
        throw octal(chmod);
      }
      return (int) v;
    }
    int mode = current;
    for (String clause : chmod.split(",", -1)) {
      mode = clause(chmod, clause, mode, directory);
    }
    return mode;
  }

  private static int clause(String chmod, String clause, int mode, boolean directory) {
    int i = 0;
    int who = 0;
    while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
      who |=
          switch (clause.charAt(i)) {
            case 'u' -> 04700;
            case 'g' -> 02070;
            case 'o' -> 01007;
            default -> 07777;
          };
      i++;
    }
    if (who == 0) {
      who = 07777; // no umask, as the frontend's parser
    }
    if (i >= clause.length()) {
      throw symbolic(chmod);
    }
    while (i < clause.length()) {
      char op = clause.charAt(i++);
      if ("+-=".indexOf(op) < 0) {
        throw symbolic(chmod);
      }
      int bits = 0;
      int original = mode;
      while (i < clause.length() && "+-=".indexOf(clause.charAt(i)) < 0) {
        char p = clause.charAt(i++);
        bits |=
            switch (p) {
              case 'r' -> 0444;
              case 'w' -> 0222;
              case 'x' -> 0111;
              case 'X' -> directory || (original & 0111) != 0 ? 0111 : 0;
              case 's' -> 06000;
              case 't' -> 01000;
              case 'u' -> copy((original >> 6) & 7);
              case 'g' -> copy((original >> 3) & 7);
              case 'o' -> copy(original & 7);
              default -> throw symbolic(chmod);
            };
      }
      bits &= who;
      mode =
          switch (op) {
            case '+' -> mode | bits;
            case '-' -> mode & ~bits;
            default -> (mode & ~(who & 07777)) | bits;
          };
    }
    return mode;
  }

  /** Three permission bits copied to the user, group and other places. */
  private static int copy(int rwx) {
    return rwx << 6 | rwx << 3 | rwx;
  }

  private static IllegalArgumentException octal(String chmod) {
    return new IllegalArgumentException(
        "invalid chmod parameter: '"
            + chmod
            + "'. it should be octal string and between 0 and 07777");
  }

  private static IllegalArgumentException symbolic(String chmod) {
    return new IllegalArgumentException(
        "invalid chmod parameter: '"
            + chmod
            + "'. give an octal mode (0755) or a symbolic one (u+x,go-w)");
  }
}
