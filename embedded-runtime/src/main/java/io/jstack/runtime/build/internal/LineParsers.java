package io.jstack.runtime.build.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How each instruction's text after its flags is split into arguments, as BuildKit's {@code
 * frontend/dockerfile/parser/line_parsers.go}: JSON arrays, white space separated words, quoted
 * words, {@code name=value} lists and the old {@code name value} form. Quotes are kept here; the
 * frontend removes them when it substitutes variables.
 */
final class LineParsers {
  static final Pattern WHITESPACE = Pattern.compile("[\t\u000b\f\r ]+");

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private LineParsers() {}

  /** Arguments and whether they were a JSON array. */
  record Parsed(List<String> args, boolean json) {
    static final Parsed NONE = new Parsed(List.of(), false);
  }

  /**
   * The strings of a JSON array, or null when {@code rest} is not valid JSON (the caller then reads
   * it as the shell form).
   *
   * @throws LexException when it is a JSON array of something other than strings
   */
  static @Nullable List<String> jsonArray(String rest) {
    String s = rest.stripLeading();
    if (!s.startsWith("[")) {
      return null;
    }
    Object value;
    try {
      value = JSON.readValue(s, Object.class);
    } catch (JsonProcessingException e) {
      return null;
    }
    if (!(value instanceof List<?> list)) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof String str)) {
        throw new LexException(
            "when using JSON array syntax, arrays must be comprised of strings only");
      }
      out.add(str);
    }
    return out;
  }

  /** CMD, ENTRYPOINT, RUN, SHELL: a JSON array, else the whole text as one argument. */
  static Parsed maybeJson(String rest) {
    if (rest.isEmpty()) {
      return Parsed.NONE;
    }
    List<String> json = jsonArray(rest);
    return json != null ? new Parsed(json, true) : new Parsed(List.of(rest), false);
  }

  /** ADD, COPY, VOLUME: a JSON array, else white space separated words. */
  static Parsed maybeJsonToList(String rest) {
    List<String> json = jsonArray(rest);
    return json != null ? new Parsed(json, true) : new Parsed(whitespaceSeparated(rest), false);
  }

  /** FROM, EXPOSE: words separated by white space, quotes not special. */
  static List<String> whitespaceSeparated(String rest) {
    if (rest.isEmpty()) {
      return List.of();
    }
    return List.of(WHITESPACE.split(rest, -1));
  }

  /** MAINTAINER, USER, WORKDIR, STOPSIGNAL: the whole text. */
  static List<String> string(String rest) {
    return rest.isEmpty() ? List.of() : List.of(rest);
  }

  /**
   * ENV and LABEL: {@code k v} (old form) or {@code k=v ...}, as flat key, value, separator
   * triples; the separator is "=" or "" for the old form.
   */
  static List<String> nameValue(String rest, String keyword, char escape) {
    List<String> words = words(rest, escape);
    if (words.isEmpty()) {
      return List.of();
    }
    if (!words.get(0).contains("=")) {
      String[] parts = WHITESPACE.split(rest, 2);
      if (parts.length < 2) {
        throw new LexException(keyword + " must have two arguments");
      }
      return List.of(parts[0], parts[1], "");
    }
    List<String> out = new ArrayList<>();
    for (String word : words) {
      int eq = word.indexOf('=');
      if (eq < 0) {
        throw new LexException(
            "Syntax error - can't find = in \"" + word + "\". Must be of the form: name=value");
      }
      out.add(word.substring(0, eq));
      out.add(word.substring(eq + 1));
      out.add("=");
    }
    return out;
  }

  /**
   * Words separated by unquoted white space, quotes and escapes kept (BuildKit's {@code
   * parseWords}).
   */
  static List<String> words(String rest, char escape) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    int[] cps = rest.codePoints().toArray();
    boolean inWord = false;
    boolean blankOk = false;
    int quote = 0;
    boolean inQuote = false;
    for (int pos = 0; pos < cps.length; pos++) {
      int ch = cps[pos];
      if (!inWord && !inQuote) {
        if (ShellLexer.isSpace(ch)) {
          continue;
        }
        inWord = true;
      }
      if (inWord && !inQuote) {
        if (ShellLexer.isSpace(ch)) {
          inWord = false;
          if (blankOk || word.length() > 0) {
            words.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          inQuote = true;
        }
        if (ch == escape) {
          if (pos + 1 == cps.length) {
            continue;
          }
          // An escaped character, even a quote, is kept with its escape.
          word.appendCodePoint(ch);
          ch = cps[++pos];
        }
        word.appendCodePoint(ch);
        continue;
      }
      // In a quote: the escape token is special except within single quotes.
      if (ch == quote) {
        inQuote = false;
      }
      if (ch == escape && quote != '\'') {
        if (pos + 1 == cps.length) {
          inQuote = false;
          continue;
        }
        word.appendCodePoint(ch);
        ch = cps[++pos];
      }
      word.appendCodePoint(ch);
    }
    if ((inWord || inQuote) && (blankOk || word.length() > 0)) {
      words.add(word.toString());
    }
    return words;
  }
}
