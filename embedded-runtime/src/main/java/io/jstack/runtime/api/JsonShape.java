package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineException;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON types a request body's fields must have, checked before the body is decoded: a field of
 * the wrong type (a number where Docker takes a list of strings) is refused with 400 naming it, as
 * dockerd's decoder refuses it, instead of being read as empty or zero. Fields not named here are
 * not checked (the decoder ignores them, as dockerd does), and {@code null} stands for a field not
 * given, as in Go.
 */
abstract class JsonShape {
  /** What this shape is, for messages ({@code "an array of strings"}). */
  private final String description;

  private JsonShape(String description) {
    this.description = description;
  }

  /** Checks the body {@code node}. @throws EngineException.InvalidArgument naming the field */
  final void check(JsonNode node) {
    check("", node);
  }

  private void check(String where, JsonNode node) {
    if (node.isNull() || node.isMissingNode()) {
      return;
    }
    if (!accepts(node)) {
      throw new EngineException.InvalidArgument(
          (where.isEmpty() ? "the request body" : where)
              + " must be "
              + description
              + ", not "
              + kind(node)
              + "; see the Docker Engine API for its type");
    }
    inside(where, node);
  }

  abstract boolean accepts(JsonNode node);

  /** Checks what {@code node} holds; {@code where} names it. */
  void inside(String where, JsonNode node) {}

  private static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> n.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  private static String join(String where, String field) {
    return where.isEmpty() ? field : where + "." + field;
  }

  static JsonShape string() {
    return leaf("a string", JsonNode::isTextual);
  }

  static JsonShape bool() {
    return leaf("a boolean", JsonNode::isBoolean);
  }

  /** A whole number that fits in 64 bits. */
  static JsonShape integer() {
    return leaf("a whole number", n -> n.isIntegralNumber() && n.canConvertToLong());
  }

  /** A whole number that fits in 32 bits. */
  static JsonShape int32() {
    return leaf(
        "a whole number of at most 32 bits", n -> n.isIntegralNumber() && n.canConvertToInt());
  }

  static JsonShape strings() {
    return arrayOf(string());
  }

  /** Docker's {@code StrSlice}: a list of strings, or one string. */
  static JsonShape stringOrStrings() {
    JsonShape list = strings();
    return new JsonShape("an array of strings or a string") {
      @Override
      boolean accepts(JsonNode n) {
        return n.isTextual() || n.isArray();
      }

      @Override
      void inside(String where, JsonNode n) {
        if (n.isArray()) {
          list.check(where, n);
        }
      }
    };
  }

  /** An object whose values are strings ({@code Labels}). */
  static JsonShape stringMap() {
    return mapOf(string());
  }

  /** An object whose every value has {@code values}' shape. */
  static JsonShape mapOf(JsonShape values) {
    return new JsonShape("an object") {
      @Override
      boolean accepts(JsonNode n) {
        return n.isObject();
      }

      @Override
      void inside(String where, JsonNode n) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          values.check(join(where, e.getKey()), e.getValue());
        }
      }
    };
  }

  static JsonShape arrayOf(JsonShape items) {
    return new JsonShape("an array of " + items.description.replaceFirst("^an? ", "") + "s") {
      @Override
      boolean accepts(JsonNode n) {
        return n.isArray();
      }

      @Override
      void inside(String where, JsonNode n) {
        for (int i = 0; i < n.size(); i++) {
          items.check(where + "[" + i + "]", n.get(i));
        }
      }
    };
  }

  /** An object whose fields named in {@code fields} have their shapes; others are not checked. */
  static JsonShape object(Map<String, JsonShape> fields) {
    Map<String, JsonShape> copy = Map.copyOf(fields);
    return new JsonShape("an object") {
      @Override
      boolean accepts(JsonNode n) {
        return n.isObject();
      }

      @Override
      void inside(String where, JsonNode n) {
        copy.forEach((name, shape) -> shape.check(join(where, name), n.path(name)));
      }
    };
  }

  private static JsonShape leaf(String description, java.util.function.Predicate<JsonNode> ok) {
    return new JsonShape(description) {
      @Override
      boolean accepts(JsonNode n) {
        return ok.test(n);
      }
    };
  }
}
