package io.jstack.runtime.build.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One joined instruction line split into keyword, flags and arguments (BuildKit's {@code
 * split_command.go} and the dispatch table of {@code parser.go}).
 */
final class InstructionLine {
  private InstructionLine() {}

  static RawInstruction parse(String line, char escape, int lineNo) {
    String[] cmdline = LineParsers.WHITESPACE.split(line.strip(), 2);
    String keyword = cmdline[0];
    List<String> flags = List.of();
    String args = "";
    if (cmdline.length == 2) {
      FlagWords split = extractFlags(cmdline[1], escape);
      flags = split.flags();
      args = split.rest().strip();
    }
    boolean json = false;
    List<String> parsed;
    RawInstruction trigger = null;
    switch (keyword.toLowerCase(Locale.ROOT)) {
      case "add", "copy", "volume" -> {
        LineParsers.Parsed p = LineParsers.maybeJsonToList(args);
        parsed = p.args();
        json = p.json();
      }
      case "cmd", "entrypoint", "run", "shell" -> {
        LineParsers.Parsed p = LineParsers.maybeJson(args);
        parsed = p.args();
        json = p.json();
      }
      case "arg" -> parsed = LineParsers.words(args, escape);
      case "env" -> parsed = LineParsers.nameValue(args, "ENV", escape);
      case "label" -> parsed = LineParsers.nameValue(args, "LABEL", escape);
      case "expose", "from" -> parsed = LineParsers.whitespaceSeparated(args);
      case "maintainer", "stopsignal", "user", "workdir" -> parsed = LineParsers.string(args);
      case "healthcheck" -> {
        LineParsers.Parsed p = healthConfig(args);
        parsed = p.args();
        json = p.json();
      }
      case "onbuild" -> {
        parsed = List.of();
        if (!args.isEmpty()) {
          trigger = parse(args, escape, lineNo);
        }
      }
      default -> parsed = List.of();
    }
    return new RawInstruction(keyword, flags, parsed, json, line, List.of(), lineNo, trigger);
  }

  /** The flag words of an instruction and the arguments after them. */
  record FlagWords(List<String> flags, String rest) {}

  /** HEALTHCHECK: a type word (CMD or NONE), then a command like CMD's. */
  private static LineParsers.Parsed healthConfig(String rest) {
    int sep = 0;
    while (sep < rest.length() && !Character.isWhitespace(rest.charAt(sep))) {
      sep++;
    }
    if (sep == 0) {
      return LineParsers.Parsed.NONE;
    }
    int next = sep;
    while (next < rest.length() && Character.isWhitespace(rest.charAt(next))) {
      next++;
    }
    LineParsers.Parsed cmd = LineParsers.maybeJson(rest.substring(next));
    List<String> args = new ArrayList<>();
    args.add(rest.substring(0, sep));
    args.addAll(cmd.args());
    return new LineParsers.Parsed(args, cmd.json());
  }

  /**
   * The leading {@code --flag} words with quotes and escapes removed, and the text after them. A
   * lone {@code --} ends the flags (BuildKit's {@code extractBuilderFlags}).
   */
  static FlagWords extractFlags(String line, char escape) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean inQuote = false;
    boolean blankOk = false;
    char quote = 0;
    for (int pos = 0; pos <= line.length(); pos++) {
      char ch = pos < line.length() ? line.charAt(pos) : 0;
      if (!inWord && !inQuote) {
        if (pos == line.length()) {
          break;
        }
        if (Character.isWhitespace(ch)) {
          continue;
        }
        if (ch != '-' || pos + 1 == line.length() || line.charAt(pos + 1) != '-') {
          return new FlagWords(words, line.substring(pos));
        }
        inWord = true;
      }
      if (pos == line.length()) {
        String w = word.toString();
        if (!w.equals("--") && (blankOk || !w.isEmpty())) {
          words.add(w);
        }
        break;
      }
      if (!inQuote) {
        if (Character.isWhitespace(ch)) {
          String w = word.toString();
          inWord = false;
          if (w.equals("--")) {
            return new FlagWords(words, line.substring(pos));
          }
          if (blankOk || !w.isEmpty()) {
            words.add(w);
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          inQuote = true;
          continue;
        }
        if (ch == escape) {
          if (pos + 1 == line.length()) {
            continue;
          }
          ch = line.charAt(++pos);
        }
        word.append(ch);
        continue;
      }
      if (ch == quote) {
        inQuote = false;
        continue;
      }
      if (ch == escape) {
        if (pos + 1 == line.length()) {
          inQuote = false;
          continue;
        }
        ch = line.charAt(++pos);
      }
      word.append(ch);
    }
    return new FlagWords(words, "");
  }
}
