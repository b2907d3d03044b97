package io.jstack.runtime.build.internal;

import io.jstack.runtime.build.Heredoc;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One instruction as the line parser leaves it, before flags are checked and words typed:
 * BuildKit's {@code parser.Node} for one instruction.
 *
 * @param keyword as written (case kept, for messages)
 * @param flags the leading {@code --name=value} words, quotes and escapes removed
 * @param args the arguments as the instruction's line parser splits them
 * @param json the arguments came from a JSON array
 * @param original the whole instruction after line continuations are joined
 * @param heredocs the here-documents, in the order their delimiters appear
 * @param line the 1-based line the instruction starts on
 * @param trigger the parsed sub-instruction of ONBUILD, else null
 */
public record RawInstruction(
    String keyword,
    List<String> flags,
    List<String> args,
    boolean json,
    String original,
    List<Heredoc> heredocs,
    int line,
    @Nullable RawInstruction trigger) {
  public RawInstruction {
    flags = List.copyOf(flags);
    args = List.copyOf(args);
    heredocs = List.copyOf(heredocs);
  }

  RawInstruction withHeredocs(List<Heredoc> docs) {
    RawInstruction t = trigger == null ? null : trigger.withHeredocs(docs);
    return new RawInstruction(keyword, flags, args, json, original, docs, line, t);
  }
}
