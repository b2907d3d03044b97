package io.jstack.runtime.build.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Word splitting and variable substitution the way BuildKit's Dockerfile frontend does it
 * (moby/buildkit {@code frontend/dockerfile/shell/lex.go}): quotes, the escape token, {@code $X},
 * {@code ${X}}, {@code ${X:-w}}, {@code ${X-w}}, {@code ${X:+w}}, {@code ${X+w}}, {@code ${X:?m}},
 * {@code ${X?m}}, {@code ${X#p}}, {@code ${X##p}}, {@code ${X%p}}, {@code ${X%%p}}, {@code
 * ${X/p/r}} and {@code ${X//p/r}}. It is not a shell: nothing is executed and {@code `} is literal.
 *
 * <p>An instance holds only its options; every call starts a fresh scan, so it is safe to share.
 */
public final class ShellLexer {
  private static final int EOF = -1;

  private final int escapeToken;
  private final boolean rawQuotes;
  private final boolean rawEscapes;
  private final boolean skipProcessQuotes;
  private final boolean skipUnsetEnv;

  private ShellLexer(
      int escapeToken,
      boolean rawQuotes,
      boolean rawEscapes,
      boolean skipProcessQuotes,
      boolean skipUnsetEnv) {
    this.escapeToken = escapeToken;
    this.rawQuotes = rawQuotes;
    this.rawEscapes = rawEscapes;
    this.skipProcessQuotes = skipProcessQuotes;
    this.skipUnsetEnv = skipUnsetEnv;
  }

  /** The lexer the frontend expands instruction words with. */
  public static ShellLexer of(char escapeToken) {
    return new ShellLexer(escapeToken, false, false, false, false);
  }

  /** Keeps quote characters in the result, as BuildKit's {@code RawQuotes}. */
  public ShellLexer rawQuotes() {
    return new ShellLexer(escapeToken, true, rawEscapes, skipProcessQuotes, skipUnsetEnv);
  }

  /** Keeps escape tokens in the result, as BuildKit's {@code RawEscapes}. */
  public ShellLexer rawEscapes() {
    return new ShellLexer(escapeToken, rawQuotes, true, skipProcessQuotes, skipUnsetEnv);
  }

  /** Treats quotes as ordinary characters, as used for heredoc bodies. */
  public ShellLexer skipProcessQuotes() {
    return new ShellLexer(escapeToken, rawQuotes, rawEscapes, true, skipUnsetEnv);
  }

  /** Leaves references to unset variables as written, as BuildKit's {@code SkipUnsetEnv}. */
  public ShellLexer skipUnsetEnv() {
    return new ShellLexer(escapeToken, rawQuotes, rawEscapes, skipProcessQuotes, true);
  }

  /** The outcome of one word: the substituted text, its split words and the variables looked up. */
  public record Result(
      String word, List<String> words, Set<String> matched, Set<String> unmatched) {
    public Result {
      words = List.copyOf(words);
      matched = Set.copyOf(matched);
      unmatched = Set.copyOf(unmatched);
    }
  }

  /**
   * Processes {@code word} against {@code env} (a missing key is an unset variable).
   *
   * @throws LexException on unbalanced quotes or braces, a bad substitution, or a {@code ?} check
   */
  public Result process(String word, Map<String, String> env) {
    Scan scan = new Scan(word, env);
    Scan.Out out = scan.processStopOn(EOF, rawEscapes);
    return new Result(out.text, out.words, scan.matched, scan.unmatched);
  }

  /** The substituted word (BuildKit's {@code ProcessWord}). */
  public String processWord(String word, Map<String, String> env) {
    return process(word, env).word();
  }

  /** The substituted word split into words (BuildKit's {@code ProcessWords}). */
  public List<String> processWords(String word, Map<String, String> env) {
    return process(word, env).words();
  }

  static boolean isSpace(int c) {
    // Go's unicode.IsSpace, which the lexer uses to split words.
    return c == ' '
        || (c >= '\t' && c <= '\r')
        || c == 0x85
        || c == 0xA0
        || (c > 0xFF && Character.isSpaceChar(c));
  }

  private final class Scan {
    private final int[] cps;
    private final Map<String, String> env;
    private final Set<String> matched = new LinkedHashSet<>();
    private final Set<String> unmatched = new LinkedHashSet<>();
    private int pos;
    private boolean escapesRaw = rawEscapes;

    Scan(String word, Map<String, String> env) {
      this.cps = word.codePoints().toArray();
      this.env = env;
    }

    int peek() {
      return pos < cps.length ? cps[pos] : EOF;
    }

    int next() {
      return pos < cps.length ? cps[pos++] : EOF;
    }

    record Out(String text, List<String> words) {}

    Out processStopOn(int stopChar, boolean raw) {
      boolean saved = escapesRaw;
      escapesRaw = raw;
      try {
        return stopOn(stopChar);
      } finally {
        escapesRaw = saved;
      }
    }

    private Out stopOn(int stopChar) {
      StringBuilder result = new StringBuilder();
      Words words = new Words();
      while (peek() != EOF) {
        int ch = peek();
        if (stopChar != EOF && ch == stopChar) {
          next();
          return new Out(result.toString(), words.finish());
        }
        String special = special(ch);
        if (special != null) {
          result.append(special);
          if (ch == '$') {
            words.addString(special);
          } else {
            words.addRaw(special);
          }
          continue;
        }
        ch = next();
        if (ch == escapeToken) {
          if (escapesRaw) {
            words.addRawChar(ch);
            result.appendCodePoint(ch);
          }
          ch = next();
          if (ch == EOF) {
            break;
          }
          words.addRawChar(ch);
        } else {
          words.addChar(ch);
        }
        result.appendCodePoint(ch);
      }
      if (stopChar != EOF) {
        throw new LexException(
            "unexpected end of statement while looking for matching "
                + new String(Character.toChars(stopChar)));
      }
      return new Out(result.toString(), words.finish());
    }

    /** The text a special character starts, or null when {@code ch} is not special. */
    private @Nullable String special(int ch) {
      if (ch == '$') {
        return processDollar();
      }
      if (ch == '<') {
        return processPossibleHeredoc();
      }
      if (!skipProcessQuotes && ch == '\'') {
        return processSingleQuote();
      }
      if (!skipProcessQuotes && ch == '"') {
        return processDoubleQuote();
      }
      return null;
    }

    private String processSingleQuote() {
      // As in sh: everything up to the next ' is literal, and ' cannot be escaped.
      StringBuilder result = new StringBuilder();
      int ch = next();
      if (rawQuotes) {
        result.appendCodePoint(ch);
      }
      while (true) {
        ch = next();
        if (ch == EOF) {
          throw new LexException(
              "unexpected end of statement while looking for matching single-quote");
        }
        if (ch == '\'') {
          if (rawQuotes) {
            result.appendCodePoint(ch);
          }
          return result.toString();
        }
        result.appendCodePoint(ch);
      }
    }

    private String processDoubleQuote() {
      // As in sh: $ expands, and the escape token only escapes ", $ and itself.
      StringBuilder result = new StringBuilder();
      int ch = next();
      if (rawQuotes) {
        result.appendCodePoint(ch);
      }
      while (true) {
        int p = peek();
        if (p == EOF) {
          throw new LexException(
              "unexpected end of statement while looking for matching double-quote");
        } else if (p == '"') {
          next();
          if (rawQuotes) {
            result.append('"');
          }
          return result.toString();
        } else if (p == '$') {
          result.append(processDollar());
        } else {
          ch = next();
          if (ch == escapeToken) {
            if (escapesRaw) {
              result.appendCodePoint(ch);
            }
            int after = peek();
            if (after == EOF) {
              continue;
            }
            if (after == '"' || after == '$' || after == escapeToken) {
              ch = next();
            }
          }
          result.appendCodePoint(ch);
        }
      }
    }

    private String processDollar() {
      next();
      if (peek() != '{') {
        String name = processName();
        if (name.isEmpty()) {
          return "$";
        }
        String value = getEnv(name);
        if (value == null && skipUnsetEnv) {
          return "$" + name;
        }
        return value == null ? "" : value;
      }
      next();
      int p = peek();
      if (p == EOF) {
        throw new LexException("syntax error: missing '}'");
      }
      if (p == '{' || p == '}' || p == ':') {
        throw new LexException("syntax error: bad substitution");
      }
      String name = processName();
      int ch = next();
      if (ch == EOF) {
        // BuildKit says "unsupported modifier" here; the brace is what is missing.
        throw new LexException("syntax error: missing '}'");
      }
      String chs = new String(Character.toChars(ch));
      if (ch == '}') {
        String value = getEnv(name);
        if (value == null && skipUnsetEnv) {
          return "${" + name + "}";
        }
        return value == null ? "" : value;
      }
      if (ch == '/') {
        return processReplace(name);
      }
      boolean nullIsUnset = false;
      if (ch == ':') {
        nullIsUnset = true;
        ch = next();
        chs += ch == EOF ? "" : new String(Character.toChars(ch));
      } else if ("+-?#%".indexOf(ch) < 0) {
        throw new LexException("unsupported modifier (" + chs + ") in substitution");
      }
      boolean patternOp = ch == '#' || ch == '%';
      if (nullIsUnset && patternOp) {
        throw new LexException("unsupported modifier (" + chs + ") in substitution");
      }
      String word;
      try {
        word = processStopOn('}', patternOp).text;
      } catch (LexException e) {
        if (peek() == EOF) {
          throw new LexException("syntax error: missing '}'");
        }
        throw e;
      }
      String value = getEnv(name);
      if (skipUnsetEnv && value == null) {
        return "${" + name + chs + word + "}";
      }
      return Substitution.modify(name, value, ch, nullIsUnset, word, chs);
    }

    private String processReplace(String name) {
      boolean all = peek() == '/';
      if (all) {
        next();
      }
      String pattern = stopOnOr('/', "syntax error: missing '/' in ${}");
      String replacement = stopOnOr('}', "syntax error: missing '}'");
      String value = getEnv(name);
      if (skipUnsetEnv && value == null) {
        return "${" + name + "/" + pattern + "/" + replacement + "}";
      }
      return Substitution.replace(value == null ? "" : value, pattern, replacement, all);
    }

    private String stopOnOr(int stop, String atEnd) {
      try {
        return processStopOn(stop, true).text;
      } catch (LexException e) {
        if (peek() == EOF) {
          throw new LexException(atEnd);
        }
        throw e;
      }
    }

    private String processName() {
      StringBuilder name = new StringBuilder();
      while (peek() != EOF) {
        int ch = peek();
        if (name.length() == 0 && Character.isDigit(ch)) {
          while (peek() != EOF && Character.isDigit(peek())) {
            name.appendCodePoint(next());
          }
          return name.toString();
        }
        if (name.length() == 0 && "@*#?-$!0".indexOf(ch) >= 0) {
          // POSIX special parameters; never set in a Dockerfile.
          return new String(Character.toChars(next()));
        }
        if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
          break;
        }
        name.appendCodePoint(next());
      }
      return name.toString();
    }

    private String processPossibleHeredoc() {
      next();
      if (peek() != '<') {
        return "<";
      }
      next();
      StringBuilder result = new StringBuilder("<<");
      while (peek() == ' ' || peek() == '\t' || peek() == '\r') {
        result.appendCodePoint(next());
      }
      return result.toString();
    }

    private @Nullable String getEnv(String name) {
      String v = env.get(name);
      (v != null ? matched : unmatched).add(name);
      return v;
    }
  }

  /** Go's wordsStruct: unquoted white space separates words, quoted text never does. */
  private static final class Words {
    private final StringBuilder buf = new StringBuilder();
    private final List<String> words = new ArrayList<>();
    private boolean inWord;

    void addChar(int ch) {
      if (isSpace(ch) && inWord) {
        if (buf.length() != 0) {
          words.add(buf.toString());
          buf.setLength(0);
          inWord = false;
        }
      } else if (!isSpace(ch)) {
        addRawChar(ch);
      }
    }

    void addRawChar(int ch) {
      buf.appendCodePoint(ch);
      inWord = true;
    }

    void addString(String s) {
      s.codePoints().forEach(this::addChar);
    }

    void addRaw(String s) {
      buf.append(s);
      inWord = true;
    }

    List<String> finish() {
      if (buf.length() > 0) {
        words.add(buf.toString());
        buf.setLength(0);
        inWord = false;
      }
      return words;
    }
  }
}
