package io.jstack.compose.internal.syntax;

import io.jstack.compose.BindOptions;
import io.jstack.compose.VolumeMount;
import io.jstack.compose.VolumeOptions;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The short syntax of a service's {@code volumes:} entry: {@code [SOURCE:]TARGET[:OPTIONS]}.
 *
 * <p>Behaves as Docker Compose v2: compose-go {@code format/volume.go} {@code ParseVolume},
 * followed by the {@code path.Clean} of the target that compose-go's {@code
 * transform/volume.go} applies to every short-syntax entry.
 *
 * <ul>
 *   <li>Fields are split at {@code ':'}, except the colon of a Windows drive ({@code C:\x}, a
 *       field of one letter followed by a colon) and colons inside {@code ${...}} (text left for,
 *       or by, interpolation).
 *   <li>One field is the target of an anonymous volume. A spec of one or two bytes ({@code "."},
 *       {@code "/a"}) is always that, without {@code volume} options; any longer anonymous volume
 *       gets empty {@code volume} options.
 *   <li>A source starting with {@code .}, {@code /}, {@code ~}, {@code \\} or a drive letter
 *       makes a {@code bind} mount with {@code create_host_path: true}; any other source is a
 *       named {@code volume} with (possibly empty) {@code volume} options.
 *   <li>Options are comma-separated: {@code ro}, {@code rw}, {@code nocopy}, a propagation
 *       ({@code shared}, {@code rshared}, {@code slave}, {@code rslave}, {@code private}, {@code
 *       rprivate}) and an SELinux label ({@code z}, {@code Z}). compose-go ignores every other
 *       option, so this does too: consistency words ({@code cached}, {@code delegated}, {@code
 *       consistent}) and typos alike are accepted and dropped, and {@code consistency} stays
 *       {@code null}.
 * </ul>
 *
 * <p>One deliberate difference: where compose-go silently drops a last field that leaves a
 * {@code ${} unclosed (leaving the mount without a target), this rejects the spec.
 */
public final class Volumes {
  private static final int END = -1;

  private Volumes() {}

  /** Parses one short-syntax volume entry. */
  public static VolumeMount parseShort(String spec) {
    if (spec.isEmpty()) {
      throw fail(spec, "the spec is empty");
    }
    int bytes = spec.getBytes(StandardCharsets.UTF_8).length;
    if (bytes <= 2) {
      return new VolumeMount(
          VolumeMount.TYPE_VOLUME, null, cleanTarget(spec), false, null, null, null, null, null);
    }

    Fields fields = new Fields();
    StringBuilder buffer = new StringBuilder();
    int depth = 0; // nesting of ${...}
    int i = 0;
    while (true) {
      int c = i < spec.length() ? spec.codePointAt(i) : END;
      int next = c == END ? i : i + Character.charCount(c);
      if (c == '$' && next < spec.length() && spec.charAt(next) == '{') {
        depth++;
        buffer.append('$');
      } else if (c == '}' && depth > 0) {
        depth--;
        buffer.append('}');
      } else if (isWindowsDrive(buffer, c)) {
        buffer.append(':');
      } else if ((c == ':' || c == END) && depth == 0) {
        fields.take(spec, c, buffer.toString());
        buffer.setLength(0);
      } else if (c == END) {
        throw fail(spec, "\"${\" is not closed by \"}\"");
      } else {
        buffer.appendCodePoint(c);
      }
      if (c == END) {
        break;
      }
      i = next;
    }
    return fields.toMount();
  }

  /**
   * Go's {@code path.Clean}, which Compose applies to every volume target: collapses repeated
   * slashes, drops {@code .} elements and resolves {@code ..} lexically; backslashes are ordinary
   * characters.
   */
  public static String cleanTarget(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.charAt(0) == '/';
    int n = path.length();
    StringBuilder out = new StringBuilder(n);
    int r = 0;
    int dotdot = 0;
    if (rooted) {
      out.append('/');
      r = 1;
      dotdot = 1;
    }
    while (r < n) {
      if (path.charAt(r) == '/') {
        r++;
      } else if (path.charAt(r) == '.' && (r + 1 == n || path.charAt(r + 1) == '/')) {
        r++;
      } else if (path.charAt(r) == '.'
          && path.charAt(r + 1) == '.'
          && (r + 2 == n || path.charAt(r + 2) == '/')) {
        r += 2;
        if (out.length() > dotdot) {
          int w = out.length() - 1;
          while (w > dotdot && out.charAt(w) != '/') {
            w--;
          }
          out.setLength(w);
        } else if (!rooted) {
          if (out.length() > 0) {
            out.append('/');
          }
          out.append("..");
          dotdot = out.length();
        }
      } else {
        if (rooted && out.length() != 1 || !rooted && out.length() != 0) {
          out.append('/');
        }
        while (r < n && path.charAt(r) != '/') {
          out.append(path.charAt(r));
          r++;
        }
      }
    }
    return out.length() == 0 ? "." : out.toString();
  }

  /** compose-go {@code isWindowsDrive}: a colon right after a one-letter field. */
  private static boolean isWindowsDrive(StringBuilder buffer, int c) {
    return c == ':'
        && buffer.length() > 0
        && buffer.codePointCount(0, buffer.length()) == 1
        && Character.isLetter(buffer.codePointAt(0));
  }

  /** compose-go {@code isFilePath}: whether a source names a host path rather than a volume. */
  static boolean isFilePath(@Nullable String source) {
    if (source == null || source.isEmpty()) {
      return false;
    }
    char first = source.charAt(0);
    if (first == '.' || first == '/' || first == '~' || source.startsWith("\\\\")) {
      return true;
    }
    int cp = source.codePointAt(0);
    int next = Character.charCount(cp);
    return source.length() > next && Character.isLetter(cp) && source.charAt(next) == ':';
  }

  private static SyntaxException fail(String spec, String problem) {
    return new SyntaxException("invalid volume \"" + spec + "\": " + problem);
  }

  /** The fields of a spec as they are read, then the mount they make. */
  private static final class Fields {
    @Nullable String source;
    @Nullable String target;
    boolean readOnly;
    boolean nocopy;
    boolean bind;
    @Nullable String propagation;
    @Nullable String selinux;

    void take(String spec, int terminator, String field) {
      if (field.isEmpty()) {
        throw fail(spec, "empty section between colons (expected [SOURCE:]TARGET[:OPTIONS])");
      }
      if (source == null && terminator == END) {
        target = field;
      } else if (source == null) {
        source = field;
      } else if (target == null) {
        target = field;
      } else if (terminator == ':') {
        throw fail(spec, "too many colons (expected [SOURCE:]TARGET[:OPTIONS])");
      } else {
        for (String option : field.split(",", -1)) {
          option(option);
        }
      }
    }

    private void option(String option) {
      switch (option) {
        case "ro" -> readOnly = true;
        case "rw" -> readOnly = false;
        case "nocopy" -> nocopy = true;
        case "rprivate", "private", "rshared", "shared", "rslave", "slave" -> {
          bind = true;
          propagation = option;
        }
        case "z", "Z" -> {
          bind = true;
          selinux = option;
        }
        default -> {
          // compose-go ignores unknown options (format/volume.go populateFieldFromBuffer).
        }
      }
    }

    VolumeMount toMount() {
      String type;
      BindOptions bindOptions = bind ? new BindOptions(propagation, false, null, selinux) : null;
      VolumeOptions volumeOptions = nocopy ? new VolumeOptions(Map.of(), true, null) : null;
      if (isFilePath(source)) {
        type = VolumeMount.TYPE_BIND;
        // Short syntax creates a missing host path, as docker-compose v1 did.
        bindOptions = new BindOptions(propagation, true, null, selinux);
      } else {
        type = VolumeMount.TYPE_VOLUME;
        if (volumeOptions == null) {
          volumeOptions = VolumeOptions.NONE;
        }
      }
      return new VolumeMount(
          type,
          source,
          // take() sets the target at the spec's end, at the latest.
          cleanTarget(Objects.requireNonNull(target)),
          readOnly,
          null,
          bindOptions,
          volumeOptions,
          null,
          null);
    }
  }
}
