package io.jstack.compose.internal.yaml;

import io.jstack.compose.ComposeException;
import io.jstack.compose.SourceLocation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads YAML text into {@link YNode} trees from SnakeYAML Engine's event stream.
 *
 * <p>Building from events, not from SnakeYAML's node graph, keeps the work iterative (a deeply
 * nested document cannot overflow the stack), lets aliases share nodes instead of copying them, and
 * lets merge keys ({@code <<}) be resolved here, as Compose's Go parser does.
 */
public final class YamlReader {
  /** Deeper documents are refused: no real compose file nests anywhere near this. */
  static final int MAX_DEPTH = 256;

  /** Node count with aliases expanded; a bigger document is an alias bomb or not a compose file. */
  static final long MAX_WEIGHT = 5_000_000;

  private static final String MERGE_KEY = "<<";

  private final String fileName;

  private YamlReader(String fileName) {
    this.fileName = fileName;
  }

  /**
   * Reads every document in {@code text}; an empty stream gives no documents.
   *
   * @throws ComposeException on invalid YAML, duplicate keys, bad merge keys, or limits exceeded
   */
  public static List<YNode> readAll(String fileName, String text) {
    return new YamlReader(fileName).read(text);
  }

  /** A container being built. */
  private abstract static class Frame {
    final @Nullable SourceLocation location;
    final @Nullable String tag;
    final Optional<Anchor> anchor;
    long weight = 1;

    Frame(@Nullable SourceLocation location, @Nullable String tag, Optional<Anchor> anchor) {
      this.location = location;
      this.tag = tag;
      this.anchor = anchor;
    }

    abstract void add(YNode node, @Nullable SourceLocation at);

    abstract YNode build();
  }

  private final class SeqFrame extends Frame {
    final List<YNode> items = new ArrayList<>();

    SeqFrame(@Nullable SourceLocation location, @Nullable String tag, Optional<Anchor> anchor) {
      super(location, tag, anchor);
    }

    @Override
    void add(YNode node, @Nullable SourceLocation at) {
      items.add(node);
      weight += node.weight();
    }

    @Override
    YNode build() {
      return new YNode.Seq(items, location, tag, weight);
    }
  }

  private final class MapFrame extends Frame {
    final LinkedHashMap<String, YNode> entries = new LinkedHashMap<>();
    final LinkedHashMap<String, SourceLocation> keyLocations = new LinkedHashMap<>();
    final List<YNode> merges = new ArrayList<>();
    final List<SourceLocation> mergeLocations = new ArrayList<>();
    @Nullable String pendingKey;
    @Nullable SourceLocation pendingKeyLocation;

    MapFrame(@Nullable SourceLocation location, @Nullable String tag, Optional<Anchor> anchor) {
      super(location, tag, anchor);
    }

    @Override
    void add(YNode node, @Nullable SourceLocation at) {
      if (pendingKey == null) {
        if (!(node instanceof YNode.Scalar s)) {
          throw error(at, "mapping keys must be strings, not " + YNode.describe(node));
        }
        pendingKey = s.isNull() ? "null" : s.value();
        pendingKeyLocation = at;
        if (pendingKey.equals(MERGE_KEY) && s.kind() == YNode.Kind.STRING && s.tag() == null) {
          return;
        }
        if (entries.containsKey(pendingKey)) {
          // Every key in entries has its location in keyLocations.
          SourceLocation first = Objects.requireNonNull(keyLocations.get(pendingKey));
          throw error(
              at,
              "mapping key \""
                  + pendingKey
                  + "\" already defined at line "
                  + first.line()
                  + ": remove one of them");
        }
        return;
      }
      if (pendingKey.equals(MERGE_KEY) && !keyLocations.containsKey(MERGE_KEY)) {
        merges.add(node);
        mergeLocations.add(pendingKeyLocation);
      } else {
        entries.put(pendingKey, node);
        keyLocations.put(pendingKey, pendingKeyLocation);
        weight += node.weight();
      }
      pendingKey = null;
    }

    @Override
    YNode build() {
      if (!merges.isEmpty()) {
        applyMerges();
      }
      return new YNode.Map(entries, keyLocations, location, tag, weight);
    }

    /** Explicit keys win; among merged maps, earlier ones win (YAML merge key type). */
    private void applyMerges() {
      for (int i = 0; i < merges.size(); i++) {
        YNode source = merges.get(i);
        List<YNode> maps = new ArrayList<>();
        if (source instanceof YNode.Map m) {
          maps.add(m);
        } else if (source instanceof YNode.Seq seq) {
          maps.addAll(seq.items());
        } else {
          throw error(
              mergeLocations.get(i),
              "the merge key << takes a mapping or a list of mappings, not "
                  + YNode.describe(source));
        }
        for (YNode item : maps) {
          if (!(item instanceof YNode.Map m)) {
            throw error(
                mergeLocations.get(i),
                "the merge key << takes a mapping or a list of mappings, not a list holding "
                    + YNode.describe(item));
          }
          for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
            if (!entries.containsKey(e.getKey())) {
              entries.put(e.getKey(), e.getValue());
              keyLocations.put(e.getKey(), m.locationOf(e.getKey()));
              weight += e.getValue().weight();
            }
          }
        }
      }
    }
  }

  private List<YNode> read(String text) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(fileName)
            .setUseMarks(true)
            .setCodePointLimit(Integer.MAX_VALUE)
            .build();
    ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, text));
    List<YNode> documents = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    Map<String, YNode> anchors = new HashMap<>();
    try {
      while (parser.hasNext()) {
        Event event = parser.next();
        @Nullable SourceLocation at = location(event.getStartMark());
        YNode completed = null;
        switch (event.getEventId()) {
          case DocumentStart -> anchors.clear();
          case Scalar -> {
            ScalarEvent s = (ScalarEvent) event;
            completed = scalar(s, at);
            remember(anchors, s, completed);
          }
          case Alias -> {
            String name = ((AliasEvent) event).getAlias().getValue();
            completed = anchors.get(name);
            if (completed == null) {
              throw error(
                  at, "unknown alias *" + name + " (define the anchor &" + name + " first)");
            }
          }
          case SequenceStart, MappingStart -> {
            if (stack.size() >= MAX_DEPTH) {
              throw error(at, "document nested deeper than " + MAX_DEPTH + " levels");
            }
            CollectionStartEvent c = (CollectionStartEvent) event;
            String tag = localTag(c.getTag(), at);
            stack.push(
                event.getEventId() == Event.ID.SequenceStart
                    ? new SeqFrame(at, tag, c.getAnchor())
                    : new MapFrame(at, tag, c.getAnchor()));
          }
          case SequenceEnd, MappingEnd -> {
            Frame f = stack.pop();
            completed = f.build();
            if (f.anchor.isPresent()) {
              anchors.put(f.anchor.get().getValue(), completed);
            }
          }
          default -> {}
        }
        if (completed != null) {
          if (completed.weight() > MAX_WEIGHT) {
            throw error(
                at,
                "document too large: more than "
                    + MAX_WEIGHT
                    + " nodes once aliases are expanded (an alias bomb?)");
          }
          if (stack.isEmpty()) {
            documents.add(completed);
          } else {
            stack.peek().add(completed, at);
            if (stack.peek().weight > MAX_WEIGHT) {
              throw error(
                  at,
                  "document too large: more than "
                      + MAX_WEIGHT
                      + " nodes once aliases are expanded (an alias bomb?)");
            }
          }
        }
      }
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
      String problem = e.getProblem() == null ? String.valueOf(e.getMessage()) : e.getProblem();
      String context = e.getContext() == null ? "" : " (" + e.getContext().trim() + ")";
      throw error(location(mark), "invalid YAML: " + problem.trim() + context);
    } catch (YamlEngineException e) {
      throw new ComposeException(null, "", fileName + ": invalid YAML: " + e.getMessage());
    }
    return documents;
  }

  private void remember(Map<String, YNode> anchors, NodeEvent event, YNode node) {
    event.getAnchor().ifPresent(a -> anchors.put(a.getValue(), node));
  }

  private YNode scalar(ScalarEvent s, @Nullable SourceLocation at) {
    String tag = localTag(s.getTag(), at);
    String value = s.getValue();
    if (s.getTag().filter(t -> t.equals("tag:yaml.org,2002:str")).isPresent()) {
      return new YNode.Scalar(value, YNode.Kind.STRING, at, null);
    }
    YNode.Kind kind = s.isPlain() ? ScalarKinds.resolve(value) : YNode.Kind.STRING;
    return new YNode.Scalar(value, kind, at, tag);
  }

  /** Keeps Compose's local tags; other non-standard tags are refused. */
  private @Nullable String localTag(Optional<String> tag, @Nullable SourceLocation at) {
    if (tag.isEmpty()) {
      return null;
    }
    String t = tag.get();
    if (t.equals("!reset") || t.equals("!override")) {
      return t;
    }
    if (t.startsWith("tag:yaml.org,2002:") || t.equals("!")) {
      return null;
    }
    throw error(at, "unsupported YAML tag " + t + " (Compose knows !reset and !override)");
  }

  private @Nullable SourceLocation location(Optional<Mark> mark) {
    return mark.map(m -> new SourceLocation(fileName, m.getLine() + 1, m.getColumn() + 1))
        .orElse(null);
  }

  private ComposeException error(@Nullable SourceLocation at, String problem) {
    return new ComposeException(at, "", problem);
  }
}
