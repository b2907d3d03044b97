package io.jstack.runtime.build.internal;

import io.jstack.runtime.build.Mount;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads a {@code RUN --mount=} value as BuildKit's {@code commands_runmount.go} {@code parseMount}:
 * comma separated (CSV-quoted) {@code key=value} fields, each value substituted on its own, and
 * BuildKit's checks and defaults.
 */
public final class MountSpec {
  private static final Set<String> TYPES = Set.of("bind", "cache", "tmpfs", "secret", "ssh");
  private static final Set<String> SHARING = Set.of("shared", "private", "locked");

  private MountSpec() {}

  /**
   * Parses {@code spec}; {@code expand} substitutes each value.
   *
   * @throws LexException naming the field that is wrong
   */
  public static Mount parse(String spec, UnaryOperator<String> expand) {
    String type = "bind";
    String from = "";
    String source = "";
    String target = "";
    boolean readOnly = false;
    boolean roAuto = true;
    long size = 0;
    String id = "";
    String sharing = "";
    boolean required = false;
    String env = "";
    long mode = -1;
    long uid = -1;
    long gid = -1;
    for (String field : csvFields(spec)) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (eq < 0) {
        switch (key) {
          case "readonly", "ro" -> {
            readOnly = true;
            roAuto = false;
          }
          case "readwrite", "rw" -> {
            readOnly = false;
            roAuto = false;
          }
          case "required" -> {
            if (!type.equals("secret") && !type.equals("ssh")) {
              throw unexpectedFor(key, type);
            }
            required = true;
          }
          default ->
              throw new LexException("invalid field '" + field + "' must be a key=value pair");
        }
        continue;
      }
      String value = expand.apply(field.substring(eq + 1));
      switch (key) {
        case "type" -> {
          type = value.toLowerCase(Locale.ROOT);
          if (!TYPES.contains(type)) {
            throw new LexException(
                "unsupported mount type \"" + value + "\" (use bind, cache, tmpfs, secret or ssh)");
          }
        }
        case "from" -> from = value;
        case "source", "src" -> source = value;
        case "target", "dst", "destination" -> target = value;
        case "readonly", "ro" -> {
          readOnly = parseBool(key, value);
          roAuto = false;
        }
        case "readwrite", "rw" -> {
          readOnly = !parseBool(key, value);
          roAuto = false;
        }
        case "required" -> {
          if (!type.equals("secret") && !type.equals("ssh")) {
            throw unexpectedFor(key, type);
          }
          required = parseBool(key, value);
        }
        case "size" -> {
          if (!type.equals("tmpfs")) {
            throw unexpectedFor(key, type);
          }
          size = Units.ramInBytes(value);
          if (size < 0) {
            throw new LexException("invalid value for " + key + ": " + value);
          }
        }
        case "id" -> id = value;
        case "sharing" -> {
          sharing = value.toLowerCase(Locale.ROOT);
          if (!SHARING.contains(sharing)) {
            throw new LexException(
                "unsupported sharing value \"" + value + "\" (use shared, private or locked)");
          }
        }
        case "mode" -> mode = parseUnsigned(value, 8, "mode");
        case "uid" -> uid = parseUnsigned(value, 10, "uid");
        case "gid" -> gid = parseUnsigned(value, 10, "gid");
        case "env" -> env = value;
        default -> throw new LexException("unexpected key '" + key + "' in '" + field + "'");
      }
    }
    boolean fileInfoAllowed = type.equals("secret") || type.equals("ssh") || type.equals("cache");
    if (!fileInfoAllowed) {
      String given = mode >= 0 ? "mode" : uid >= 0 ? "uid" : gid >= 0 ? "gid" : null;
      if (given != null) {
        throw new LexException(given + " not allowed for \"" + type + "\" type mounts");
      }
    }
    if (roAuto) {
      readOnly = !type.equals("cache") && !type.equals("tmpfs");
    }
    if (type.equals("secret")) {
      if (!from.isEmpty()) {
        throw new LexException("secret mount should not have a from");
      }
      if (!sharing.isEmpty()) {
        throw new LexException("secret mount should not define sharing");
      }
      if (source.isEmpty() && target.isEmpty() && id.isEmpty()) {
        throw new LexException("invalid secret mount. one of source, target required");
      }
      if (!source.isEmpty() && !id.isEmpty()) {
        throw new LexException("both source and id can't be set");
      }
    }
    if (!sharing.isEmpty() && !type.equals("cache")) {
      throw new LexException("invalid cache sharing set for " + type + " mount");
    }
    return new Mount(
        type, from, source, target, readOnly, size, id, sharing, required, env, mode, uid, gid);
  }

  private static LexException unexpectedFor(String key, String type) {
    return new LexException("unexpected key '" + key + "' for mount type '" + type + "'");
  }

  private static boolean parseBool(String key, String value) {
    // Go's strconv.ParseBool.
    switch (value) {
      case "1", "t", "T", "TRUE", "true", "True":
        return true;
      case "0", "f", "F", "FALSE", "false", "False":
        return false;
      default:
        throw new LexException("invalid value for " + key + ": " + value);
    }
  }

  private static long parseUnsigned(String value, int radix, String key) {
    try {
      long v = Long.parseLong(value, radix);
      if (v < 0 || v > 0xFFFF_FFFFL) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new LexException("invalid value " + value + " for " + key);
    }
  }

  /** One CSV record, as Go's encoding/csv reads it: quoted fields may hold commas and "". */
  static List<String> csvFields(String s) {
    List<String> fields = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    int i = 0;
    while (true) {
      f.setLength(0);
      if (i < s.length() && s.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= s.length()) {
            throw new LexException(
                "failed to parse csv mounts: extraneous or missing \" in quoted-field");
          }
          char c = s.charAt(i++);
          if (c == '"') {
            if (i < s.length() && s.charAt(i) == '"') {
              f.append('"');
              i++;
              continue;
            }
            break;
          }
          f.append(c);
        }
        if (i < s.length() && s.charAt(i) != ',') {
          throw new LexException(
              "failed to parse csv mounts: extraneous or missing \" in quoted-field");
        }
      } else {
        while (i < s.length() && s.charAt(i) != ',') {
          f.append(s.charAt(i++));
        }
      }
      fields.add(f.toString());
      if (i >= s.length()) {
        return fields;
      }
      i++;
    }
  }
}
