package io.jstack.engine;

import java.util.regex.Pattern;

/**
 * The names an engine accepts for containers, volumes and networks, with Docker's rules and
 * messages. The embedded engine runs as root and its names reach paths, logs and DNS, so every name
 * is checked here before anything is made of it; control characters in a refused name are escaped
 * ({@code \x01}) so that the message stays one harmless line.
 *
 * <p>Containers and volumes follow dockerd: {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+} (at least two
 * characters; a container's may start with {@code /}, which is dropped), with its messages; a
 * volume name over 255 characters, which dockerd takes and then fails to make a directory of, is
 * refused as such. dockerd puts no rule on network names (it takes {@code ../../etc} or control
 * characters); networks here get the same characters, one or more of them, in the same words.
 */
public final class Names {
  /** The characters Docker allows in names, as its messages show them. */
  public static final String ALLOWED = "[a-zA-Z0-9][a-zA-Z0-9_.-]";

  private static final Pattern RESTRICTED = Pattern.compile(ALLOWED + "+");
  private static final Pattern NETWORK = Pattern.compile(ALLOWED + "*");

  private Names() {}

  /**
   * The container name {@code name} stands for, without a leading {@code /}.
   *
   * @throws EngineException.InvalidArgument with dockerd's message when Docker would refuse it
   */
  public static String container(String name) {
    String bare = name.startsWith("/") ? name.substring(1) : name;
    if (!RESTRICTED.matcher(bare).matches()) {
      throw new EngineException.InvalidArgument(
          "Invalid container name (" + printable(name) + "), only " + ALLOWED + " are allowed");
    }
    return bare;
  }

  /**
   * Checks a volume name.
   *
   * @throws EngineException.InvalidArgument with dockerd's message when Docker would refuse it
   */
  public static String volume(String name) {
    if (name.length() == 1) {
      throw new EngineException.InvalidArgument(
          "create "
              + printable(name)
              + ": volume name is too short, names should be at least two alphanumeric characters");
    }
    if (name.length() > 255) {
      // dockerd fails later, on the directory it names (500, "file name too long").
      throw new EngineException.InvalidArgument(
          "create "
              + printable(name)
              + ": volume name is too long ("
              + name.length()
              + " characters; a volume's name is a directory's, at most 255)");
    }
    if (!RESTRICTED.matcher(name).matches()) {
      throw new EngineException.InvalidArgument(
          "create "
              + printable(name)
              + ": \""
              + printable(name)
              + "\" includes invalid characters for a local volume name, only \""
              + ALLOWED
              + "\" are allowed. If you intended to pass a host directory, use absolute path");
    }
    return name;
  }

  /** Whether {@code name} is a volume name {@link #volume} accepts. */
  public static boolean isVolume(String name) {
    return name.length() <= 255 && RESTRICTED.matcher(name).matches();
  }

  /**
   * Checks a network name.
   *
   * @throws EngineException.InvalidArgument when it is empty or holds other characters
   */
  public static String network(String name) {
    if (name.isEmpty()) {
      throw new EngineException.InvalidArgument("invalid name: a network needs a name");
    }
    if (!NETWORK.matcher(name).matches()) {
      throw new EngineException.InvalidArgument(
          "Invalid network name (" + printable(name) + "), only " + ALLOWED + " are allowed");
    }
    return name;
  }

  /** {@code s} with control characters escaped, fit for a one-line message. */
  public static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                b.append(String.format("\\x%02x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.toString();
  }
}
