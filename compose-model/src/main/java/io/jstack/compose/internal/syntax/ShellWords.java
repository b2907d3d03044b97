package io.jstack.compose.internal.syntax;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string {@code command:} or {@code entrypoint:} into words as Docker Compose does.
 *
 * <p>compose-go's {@code types.ShellCommand} uses github.com/mattn/go-shellwords {@code Parse} with
 * its defaults (no environment expansion, no command substitution); Docker Compose builds with
 * v1.0.13, whose rules this follows:
 *
 * <ul>
 *   <li>words are separated by unquoted spaces, tabs, CR and LF;
 *   <li>{@code '...'} keeps everything literally, backslashes included;
 *   <li>{@code "..."} keeps everything but a backslash, which escapes the next character;
 *   <li>outside single quotes, a backslash escapes the next character, and {@code \t} and {@code
 *       \n} stand for a tab and a newline;
 *   <li>{@code ""} and {@code ''} make empty words; an empty string makes no words;
 *   <li>backquotes and {@code $(...)} are kept as written, spaces inside them included;
 *   <li>the first unquoted {@code ;}, {@code &}, {@code |}, {@code <} or {@code >} ends the
 *       command: it and the rest are dropped (and so is a word like {@code 2} right before {@code
 *       >});
 *   <li>an unquoted {@code (} not right after {@code $}, an unmatched {@code )}, a dangling
 *       backslash and an unclosed quote, backquote or {@code $(} are errors.
 * </ul>
 */
public final class ShellWords {
  private ShellWords() {}

  /** Splits {@code line} into words. */
  public static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean escaped = false;
    boolean singleQuoted = false;
    boolean doubleQuoted = false;
    boolean backQuoted = false;
    boolean dollarParen = false;

    int i = 0;
    scan:
    while (i < line.length()) {
      int c = line.codePointAt(i);
      i += Character.charCount(c);

      if (escaped) {
        if (c == 't') {
          c = '\t';
        } else if (c == 'n') {
          c = '\n';
        }
        word.appendCodePoint(c);
        escaped = false;
        inWord = true;
        continue;
      }
      if (c == '\\') {
        if (singleQuoted) {
          word.append('\\');
        } else {
          escaped = true;
        }
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (singleQuoted || doubleQuoted || backQuoted || dollarParen) {
          word.appendCodePoint(c);
        } else if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        continue;
      }
      switch (c) {
        case '`' -> {
          if (!singleQuoted && !doubleQuoted && !dollarParen) {
            backQuoted = !backQuoted; // and the backquote is kept
          }
        }
        case ')' -> {
          if (!singleQuoted && !doubleQuoted && !backQuoted) {
            if (!dollarParen) {
              throw fail(line, "unmatched \")\" (quote it)");
            }
            word.append(')');
            dollarParen = false;
            inWord = true;
            continue;
          }
        }
        case '(' -> {
          if (!singleQuoted && !doubleQuoted && !backQuoted) {
            if (!dollarParen && word.length() > 0 && word.charAt(word.length() - 1) == '$') {
              dollarParen = true;
              word.append('(');
              continue;
            }
            throw fail(line, "unexpected \"(\" (quote it)");
          }
        }
        case '"' -> {
          if (!singleQuoted && !dollarParen) {
            if (doubleQuoted) {
              inWord = true;
            }
            doubleQuoted = !doubleQuoted;
            continue;
          }
        }
        case '\'' -> {
          if (!doubleQuoted && !dollarParen) {
            if (singleQuoted) {
              inWord = true;
            }
            singleQuoted = !singleQuoted;
            continue;
          }
        }
        case ';', '&', '|', '<', '>' -> {
          if (!singleQuoted && !doubleQuoted && !backQuoted && !dollarParen) {
            if (c == '>' && word.length() > 0 && isDigit(word.charAt(0))) {
              inWord = false; // a file descriptor number, as in 2>file
            }
            break scan;
          }
        }
        default -> {}
      }
      inWord = true;
      word.appendCodePoint(c);
    }

    if (inWord) {
      words.add(word.toString());
    }
    if (escaped) {
      throw fail(line, "it ends with a lone backslash");
    }
    if (singleQuoted) {
      throw fail(line, "unterminated single quote");
    }
    if (doubleQuoted) {
      throw fail(line, "unterminated double quote");
    }
    if (backQuoted) {
      throw fail(line, "unterminated backquote");
    }
    if (dollarParen) {
      throw fail(line, "unterminated \"$(\"");
    }
    return List.copyOf(words);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static SyntaxException fail(String line, String problem) {
    return new SyntaxException("invalid command line \"" + line + "\": " + problem);
  }
}
