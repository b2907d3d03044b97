package io.jstack.engine.docker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * JSON trees read and written with Jackson's streaming parser and generator alone. A command makes
 * a handful of requests: Jackson's {@code ObjectMapper} would load and initialise some 400 classes
 * to serve them (about a fifth of a short command's time), the streaming API a few dozen.
 */
final class JsonTrees {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /** The tree of one JSON document; a missing node for an empty one. */
  static JsonNode read(byte[] json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      return read(p);
    }
  }

  /** As {@link #read(byte[])}, from text. */
  static JsonNode read(String json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      return read(p);
    }
  }

  private static JsonNode read(JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    JsonNode root = null;
    Deque<JsonNode> open = new ArrayDeque<>();
    String field = null;
    for (JsonToken t = first; t != null; t = open.isEmpty() ? null : p.nextToken()) {
      JsonNode value;
      switch (t) {
        case FIELD_NAME -> {
          field = p.currentName();
          continue;
        }
        case END_OBJECT, END_ARRAY -> {
          open.pop();
          continue;
        }
        case START_OBJECT -> value = NODES.objectNode();
        case START_ARRAY -> value = NODES.arrayNode();
        case VALUE_STRING -> value = NODES.textNode(p.getText());
        case VALUE_NUMBER_INT ->
            value =
                switch (p.getNumberType()) {
                  case INT -> NODES.numberNode(p.getIntValue());
                  case LONG -> NODES.numberNode(p.getLongValue());
                  default -> NODES.numberNode(p.getBigIntegerValue());
                };
        case VALUE_NUMBER_FLOAT -> value = NODES.numberNode(p.getDoubleValue());
        case VALUE_TRUE -> value = NODES.booleanNode(true);
        case VALUE_FALSE -> value = NODES.booleanNode(false);
        case VALUE_NULL -> value = NODES.nullNode();
        default -> throw new IOException("unexpected JSON token " + t);
      }
      JsonNode parent = open.peek();
      if (parent == null) {
        root = value;
      } else if (parent instanceof ObjectNode o) {
        o.set(java.util.Objects.requireNonNull(field), value);
      } else {
        ((ArrayNode) parent).add(value);
      }
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        open.push(value);
      }
    }
    return java.util.Objects.requireNonNull(root);
  }

  /** {@code tree} as compact JSON. */
  static byte[] write(JsonNode tree) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, tree);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON to memory", e);
    }
    return out.toByteArray();
  }

  /** {@code tree} as compact JSON text. */
  static String text(JsonNode tree) {
    return new String(write(tree), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void write(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          g.writeFieldName(e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode e : n) {
          write(g, e);
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(n.textValue());
      case NUMBER -> {
        if (n.isIntegralNumber()) {
          g.writeNumber(n.bigIntegerValue());
        } else {
          g.writeNumber(n.doubleValue());
        }
      }
      case BOOLEAN -> g.writeBoolean(n.booleanValue());
      case NULL, MISSING -> g.writeNull();
      default -> throw new IllegalArgumentException("cannot write a " + n.getNodeType() + " node");
    }
  }
}
