package io.jstack.runtime.build.internal;

import io.jstack.runtime.build.Heredoc;
import io.jstack.runtime.build.Instruction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** COPY and ADD: flags, sources, here-documents as sources and the destination. */
final class CopyAdd {
  private CopyAdd() {}

  static Instruction parse(RawInstruction raw, Flags flags) {
    boolean copy = raw.keyword().equalsIgnoreCase("COPY");
    String keyword = copy ? "COPY" : "ADD";
    List<String> args = raw.args();
    if (args.size() < 2) {
      throw new LexException(
          keyword
              + " requires at least two arguments, but only one was provided. Destination could"
              + " not be determined");
    }
    flags.string("chown").string("chmod").bool("link").strings("exclude");
    if (copy) {
      flags.string("from").bool("parents");
    } else {
      flags.bool("keep-git-dir").string("checksum").bool("unpack");
    }
    flags.parse(raw.flags());
    String dest = args.get(args.size() - 1);
    if (DockerfileLexer.parseHeredoc(dest, raw.line()) != null) {
      throw new LexException(keyword + " cannot accept a heredoc as a destination");
    }
    Map<String, Heredoc> byName = new HashMap<>();
    for (Heredoc doc : raw.heredocs()) {
      byName.put(doc.name(), doc);
    }
    List<String> sources = new ArrayList<>();
    List<Heredoc> inline = new ArrayList<>();
    for (String src : args.subList(0, args.size() - 1)) {
      Heredoc marker = DockerfileLexer.parseHeredoc(src, raw.line());
      if (marker == null) {
        sources.add(src);
        continue;
      }
      Heredoc body = byName.get(marker.name());
      // As BuildKit's parseSourcesAndDest, a source's leading tabs are removed here, for <<-.
      String content = body == null ? "" : body.text();
      inline.add(
          new Heredoc(
              marker.name(), content, marker.expand(), marker.chomp(), marker.fileDescriptor()));
    }
    String chown = flags.string("chown", "");
    String chmod = flags.string("chmod", "");
    boolean link = flags.bool("link", false);
    List<String> excludes = flags.strings("exclude", List.of());
    if (copy) {
      return new Instruction.Copy(
          raw.line(),
          sources,
          inline,
          dest,
          flags.string("from", ""),
          chown,
          chmod,
          link,
          excludes,
          flags.bool("parents", false));
    }
    return new Instruction.Add(
        raw.line(),
        sources,
        inline,
        dest,
        chown,
        chmod,
        link,
        excludes,
        flags.string("checksum", ""),
        flags.optionalBool("keep-git-dir"),
        flags.optionalBool("unpack"));
  }
}
