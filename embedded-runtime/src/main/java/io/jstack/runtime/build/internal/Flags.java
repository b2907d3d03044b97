package io.jstack.runtime.build.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The {@code --flags} an instruction accepts and their values, checked as BuildKit's {@code
 * instructions/bflag.go} checks them: unknown flags, repeated flags (only list flags may repeat),
 * missing values and booleans that are neither true nor false.
 */
final class Flags {
  private enum Type {
    BOOL,
    STRING,
    STRINGS
  }

  private final String keyword;
  private final Map<String, Type> declared = new LinkedHashMap<>();
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, List<String>> lists = new LinkedHashMap<>();

  Flags(String keyword) {
    this.keyword = keyword;
  }

  Flags bool(String name) {
    declared.put(name, Type.BOOL);
    return this;
  }

  Flags string(String name) {
    declared.put(name, Type.STRING);
    return this;
  }

  Flags strings(String name) {
    declared.put(name, Type.STRINGS);
    return this;
  }

  /**
   * Reads the raw flag words.
   *
   * @throws FlagException saying which flag is wrong and how
   */
  Flags parse(List<String> words) {
    for (String a : words) {
      if (a.equals("--")) {
        return this;
      }
      if (!a.startsWith("--")) {
        throw new FlagException("arg should start with -- : " + a, "write flags as --name=value");
      }
      int eq = a.indexOf('=');
      String flagName = eq < 0 ? a : a.substring(0, eq);
      String value = eq < 0 ? "" : a.substring(eq + 1);
      boolean hasValue = eq >= 0;
      String name = flagName.substring(2);
      Type type = declared.get(name);
      if (type == null) {
        throw new FlagException("unknown flag: " + flagName, keyword + " accepts " + accepted());
      }
      if (type != Type.STRINGS && values.containsKey(name)) {
        throw new FlagException(
            "duplicate flag specified: " + flagName, "give " + flagName + " once");
      }
      switch (type) {
        case BOOL -> {
          if (hasValue && value.isEmpty()) {
            throw new FlagException(
                "missing a value on flag: " + flagName,
                "write " + flagName + " or " + flagName + "=false");
          }
          String v = value.toLowerCase(Locale.ROOT);
          if (!v.isEmpty() && !v.equals("true") && !v.equals("false")) {
            throw new FlagException(
                "expecting boolean value for flag " + flagName + ", not: " + value,
                "use true or false");
          }
          values.put(name, v.isEmpty() ? "true" : v);
        }
        case STRING -> {
          if (!hasValue) {
            throw new FlagException(
                "missing a value on flag: " + flagName, "write " + flagName + "=<value>");
          }
          values.put(name, value);
        }
        case STRINGS -> {
          if (!hasValue) {
            throw new FlagException(
                "missing a value on flag: " + flagName, "write " + flagName + "=<value>");
          }
          lists.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
      }
    }
    return this;
  }

  private String accepted() {
    if (declared.isEmpty()) {
      return "no flags";
    }
    List<String> names = new ArrayList<>();
    for (String n : new TreeSet<>(declared.keySet())) {
      names.add("--" + n);
    }
    return String.join(", ", names);
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  boolean bool(String name, boolean fallback) {
    String v = values.get(name);
    return v == null ? fallback : v.equals("true");
  }

  /** A boolean that is null when not given. */
  @Nullable Boolean optionalBool(String name) {
    String v = values.get(name);
    return v == null ? null : v.equals("true");
  }

  List<String> strings(String name, List<String> fallback) {
    return lists.containsKey(name) ? List.copyOf(lists.get(name)) : fallback;
  }

  /** A malformed flag: what is wrong and what to do. */
  static final class FlagException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String fix;

    FlagException(String problem, String fix) {
      super(problem);
      this.fix = fix;
    }
  }
}
