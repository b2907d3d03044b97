package io.jstack.runtime.build.internal;

import io.jstack.runtime.build.DockerfileException;
import io.jstack.runtime.build.Heredoc;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns a Dockerfile's text into {@link RawInstruction}s the way BuildKit's {@code
 * frontend/dockerfile/parser/parser.go} does: parser directives on the first lines only, comments,
 * line continuations with the escape token (also on a line of its own), comment and empty lines
 * inside a continuation, here-documents for RUN, COPY and ADD, and the per-instruction line
 * parsers.
 */
public final class DockerfileLexer {
  /** The parser directives BuildKit knows; any other {@code # key=value} ends the directives. */
  private static final Set<String> DIRECTIVES = Set.of("syntax", "escape", "check");

  private static final Pattern DIRECTIVE =
      Pattern.compile("^([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
  private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)\\s*([^<]*)$");
  private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("add", "copy", "run");

  /** The lines parsed and the directives found. */
  public record Result(
      List<RawInstruction> instructions,
      Map<String, String> directives,
      char escape,
      List<String> warnings) {
    public Result {
      instructions = List.copyOf(instructions);
      directives = Map.copyOf(directives);
      warnings = List.copyOf(warnings);
    }
  }

  private final Map<String, String> directives = new java.util.LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private boolean directivesDone;
  private char escape = '\\';
  private Pattern continuation = continuationFor('\\');

  private DockerfileLexer() {}

  /**
   * Parses the whole Dockerfile.
   *
   * @throws DockerfileException on a repeated or bad directive, a malformed line, an unterminated
   *     heredoc, or a file without instructions
   */
  public static Result lex(String text) {
    return new DockerfileLexer().run(text);
  }

  private Result run(String text) {
    List<String> lines = splitKeepingEndings(text.startsWith("\uFEFF") ? text.substring(1) : text);
    List<RawInstruction> out = new ArrayList<>();
    int current = 0;
    int i = 0;
    while (i < lines.size()) {
      String raw = lines.get(i++);
      String processed = processLine(raw, true, current + 1);
      current++;
      int start = current;
      Continued first = trimContinuation(processed);
      boolean ends = first.ends();
      processed = first.text();
      if (ends && processed.isEmpty()) {
        continue;
      }
      StringBuilder buf = new StringBuilder(processed);
      boolean emptyContinuation = false;
      while (!ends && i < lines.size()) {
        String next = lines.get(i++);
        String p = processLine(next, false, current + 1);
        current++;
        if (isComment(next)) {
          continue;
        }
        if (isEmptyContinuationLine(p)) {
          emptyContinuation = true;
          continue;
        }
        Continued joined = trimContinuation(p);
        ends = joined.ends();
        buf.append(joined.text());
      }
      String line = buf.toString();
      if (emptyContinuation) {
        // BuildKit warns, and says these will become errors.
        warnings.add(
            "Dockerfile:"
                + current
                + ": empty continuation line found in: "
                + line
                + "; remove the empty lines inside the instruction");
      }
      RawInstruction node = parseLine(line, start);
      if (canContainHeredoc(node) && line.contains("<<")) {
        List<Heredoc> docs = new ArrayList<>();
        for (Heredoc doc : heredocsFromLine(line, start)) {
          StringBuilder content = new StringBuilder();
          boolean terminated = false;
          while (i < lines.size()) {
            String body = lines.get(i++);
            current++;
            String candidate = stripNewline(body);
            if (doc.chomp()) {
              candidate = candidate.replaceFirst("^\t+", "");
            }
            if (candidate.equals(doc.name())) {
              terminated = true;
              break;
            }
            content.append(body);
          }
          if (!terminated) {
            throw DockerfileException.at(
                start,
                "unterminated heredoc " + doc.name(),
                "end it with a line holding only " + doc.name());
          }
          docs.add(
              new Heredoc(
                  doc.name(), content.toString(), doc.expand(), doc.chomp(), doc.fileDescriptor()));
        }
        node = node.withHeredocs(docs);
      }
      out.add(node);
    }
    if (out.isEmpty()) {
      throw DockerfileException.at(
          Math.max(current, 1), "the file has no instructions", "start it with a FROM instruction");
    }
    return new Result(out, directives, escape, warnings);
  }

  private static List<String> splitKeepingEndings(String text) {
    List<String> lines = new ArrayList<>();
    int from = 0;
    while (from < text.length()) {
      int nl = text.indexOf('\n', from);
      int to = nl < 0 ? text.length() : nl + 1;
      lines.add(text.substring(from, to));
      from = to;
    }
    return lines;
  }

  private String processLine(String raw, boolean stripLeft, int lineNo) {
    String token = stripNewline(raw);
    if (stripLeft) {
      token = stripLeadingSpace(token);
    }
    possibleDirective(token, lineNo);
    return isComment(token) ? "" : token;
  }

  private void possibleDirective(String line, int lineNo) {
    if (directivesDone) {
      return;
    }
    if (!line.startsWith("#")) {
      directivesDone = true;
      return;
    }
    Matcher m = DIRECTIVE.matcher(stripLeadingSpace(line.substring(1)));
    String key = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    if (key == null || !DIRECTIVES.contains(key)) {
      directivesDone = true;
      return;
    }
    if (directives.containsKey(key)) {
      throw DockerfileException.at(
          lineNo, "only one " + key + " parser directive can be used", "remove the repeated one");
    }
    String value = m.group(2);
    if (key.equals("escape")) {
      if (!value.equals("`") && !value.equals("\\")) {
        throw DockerfileException.at(
            lineNo,
            "invalid escape token '" + value + "' does not match ` or \\",
            "use # escape=` or # escape=\\");
      }
      escape = value.charAt(0);
      continuation = continuationFor(escape);
    }
    directives.put(key, value);
  }

  private static Pattern continuationFor(char escape) {
    // The escape token ends a line to continue it, unless it is itself escaped by the character
    // before it; a line holding only the token continues too.
    String e = Pattern.quote(String.valueOf(escape));
    String notE = escape == '\\' ? "[^\\\\]" : "[^`]";
    return Pattern.compile("(" + notE + ")" + e + "[ \t]*$|^" + e + "[ \t]*$");
  }

  /** A line without its continuation token; {@code ends} when it had none. */
  private record Continued(String text, boolean ends) {}

  private Continued trimContinuation(String line) {
    Matcher m = continuation.matcher(line);
    if (m.find()) {
      return new Continued(
          line.substring(0, m.start()) + (m.group(1) == null ? "" : m.group(1)), false);
    }
    return new Continued(line, true);
  }

  static String stripNewline(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  private static String stripLeadingSpace(String s) {
    int i = 0;
    while (i < s.length() && ShellLexer.isSpace(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  private static boolean isComment(String line) {
    return stripLeadingSpace(line).startsWith("#");
  }

  private static boolean isEmptyContinuationLine(String line) {
    return stripLeadingSpace(stripNewline(line)).isEmpty();
  }

  private RawInstruction parseLine(String line, int lineNo) {
    try {
      return InstructionLine.parse(line, escape, lineNo);
    } catch (LexException e) {
      throw DockerfileException.at(
          lineNo, String.valueOf(e.getMessage()), "fix the instruction's syntax");
    }
  }

  private static boolean canContainHeredoc(RawInstruction node) {
    RawInstruction target = node;
    if (node.keyword().equalsIgnoreCase("onbuild") && node.trigger() != null) {
      target = node.trigger();
    }
    return HEREDOC_INSTRUCTIONS.contains(target.keyword().toLowerCase(Locale.ROOT))
        && !target.json();
  }

  private static List<Heredoc> heredocsFromLine(String line, int lineNo) {
    List<String> words;
    try {
      words =
          ShellLexer.of('\\').rawQuotes().rawEscapes().skipUnsetEnv().processWords(line, Map.of());
    } catch (LexException e) {
      // BuildKit ignores this error; an instruction that lexes badly has no heredocs.
      return List.of();
    }
    List<Heredoc> docs = new ArrayList<>();
    for (String word : words) {
      Heredoc doc = parseHeredoc(word, lineNo);
      if (doc != null) {
        docs.add(doc);
      }
    }
    return docs;
  }

  /**
   * The heredoc a word like {@code <<EOF}, {@code <<-"EOF"} or {@code 3<<EOF} opens, with empty
   * content; null when the word is not one (BuildKit's {@code ParseHeredoc}).
   */
  public static @Nullable Heredoc parseHeredoc(String word, int lineNo) {
    Matcher m = HEREDOC.matcher(word);
    if (!m.matches() || m.group(3).isEmpty()) {
      return null;
    }
    int fd = m.group(1).isEmpty() ? 0 : Integer.parseInt(m.group(1));
    boolean chomp = m.group(2).equals("-");
    String rest = m.group(3);
    try {
      ShellLexer lex = ShellLexer.of('\\').skipUnsetEnv();
      List<String> plain = lex.processWords(rest, Map.of());
      if (plain.size() != 1) {
        return null;
      }
      List<String> raw = lex.rawQuotes().processWords(rest, Map.of());
      // A quote anywhere in the delimiter turns expansion of the content off.
      boolean expand = quotes(plain.get(0)) == quotes(raw.get(0));
      return new Heredoc(plain.get(0), "", expand, chomp, fd);
    } catch (LexException e) {
      throw DockerfileException.at(
          lineNo, String.valueOf(e.getMessage()), "quote the heredoc delimiter evenly");
    }
  }

  private static long quotes(String s) {
    return s.chars().filter(c -> c == '\'' || c == '"').count();
  }
}
