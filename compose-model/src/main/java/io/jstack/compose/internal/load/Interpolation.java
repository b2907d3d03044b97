package io.jstack.compose.internal.load;

import io.jstack.compose.ComposeException;
import io.jstack.compose.internal.bind.PathNames;
import io.jstack.compose.internal.interpolation.Template;
import io.jstack.compose.internal.interpolation.TemplateException;
import io.jstack.compose.internal.yaml.YNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Substitutes variables in every string value of a document (never in keys), as Compose does before
 * validating. Variables that are unset and have no default become "" and are reported once.
 */
final class Interpolation {
  private final Function<String, Optional<String>> lookup;
  private final Set<String> unset;

  Interpolation(Map<String, String> environment, Set<String> unset) {
    this.lookup = name -> Optional.ofNullable(environment.get(name));
    this.unset = unset;
  }

  YNode apply(YNode node, String path) {
    if (node instanceof YNode.Scalar s) {
      if (s.kind() != YNode.Kind.STRING || s.value().indexOf('$') < 0) {
        return s;
      }
      try {
        return s.withValue(Template.substitute(s.value(), lookup, unset::add), YNode.Kind.STRING);
      } catch (TemplateException e) {
        throw new ComposeException(s.location(), path, String.valueOf(e.getMessage()));
      }
    }
    if (node instanceof YNode.Seq seq) {
      List<YNode> out = new ArrayList<>(seq.items().size());
      boolean changed = false;
      for (int i = 0; i < seq.items().size(); i++) {
        YNode item = seq.items().get(i);
        YNode v = apply(item, PathNames.item(path, i));
        changed |= v != item;
        out.add(v);
      }
      if (!changed) {
        return seq;
      }
      YNode.Seq result = YNode.Seq.of(out, seq.location());
      return seq.tag() == null ? result : result.withTag(seq.tag());
    }
    YNode.Map map = (YNode.Map) node;
    Map<String, YNode> out = new LinkedHashMap<>();
    boolean changed = false;
    for (Map.Entry<String, YNode> e : map.entries().entrySet()) {
      YNode v = apply(e.getValue(), PathNames.child(path, e.getKey()));
      changed |= v != e.getValue();
      out.put(e.getKey(), v);
    }
    return changed ? map.withEntries(out) : map;
  }
}
