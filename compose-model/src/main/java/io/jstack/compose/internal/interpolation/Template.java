package io.jstack.compose.internal.interpolation;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/** TEMPORARY placeholder, replaced by the interp branch. */
public final class Template {
  private Template() {}

  public static String substitute(
      String template, Function<String, Optional<String>> lookup, Consumer<String> onUnset) {
    if (template.indexOf('$') < 0) {
      return template;
    }
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '$' && i + 1 < template.length() && template.charAt(i + 1) == '$') {
        sb.append('$');
        i += 2;
      } else if (c == '$' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
        int end = template.indexOf('}', i);
        if (end < 0) {
          throw new TemplateException("Invalid template: \"" + template + "\"");
        }
        String body = template.substring(i + 2, end);
        int op = body.indexOf(":-");
        String name = op >= 0 ? body.substring(0, op) : body;
        Optional<String> v = lookup.apply(name);
        if (v.isPresent() && !(op >= 0 && v.get().isEmpty())) {
          sb.append(v.get());
        } else if (op >= 0) {
          sb.append(body.substring(op + 2));
        } else {
          onUnset.accept(name);
        }
        i = end + 1;
      } else if (c == '$') {
        int j = i + 1;
        while (j < template.length()
            && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
          j++;
        }
        String name = template.substring(i + 1, j);
        Optional<String> v = lookup.apply(name);
        if (v.isPresent()) {
          sb.append(v.get());
        } else {
          onUnset.accept(name);
        }
        i = j;
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }
}
