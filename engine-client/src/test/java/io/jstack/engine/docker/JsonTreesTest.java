package io.jstack.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streaming reader and writer agree with Jackson's ObjectMapper on every kind of value. */
class JsonTreesTest {
  private static final String DOC =
      "{\"Id\":\"c1\",\"Names\":[\"/a\",\"/b\"],\"Labels\":{\"k\":\"v\",\"empty\":\"\"},"
          + "\"Size\":12,\"Big\":9007199254740993,\"Huge\":123456789012345678901234567890,"
          + "\"Ratio\":0.25,\"On\":true,\"Off\":false,\"Nothing\":null,"
          + "\"Nested\":[[],{},[{\"x\":[1,2,{\"y\":\"\\u00e9\\n\"}]}]]}";

  @Test
  void read_buildsTheSameTreeAsObjectMapper() throws IOException {
    JsonNode expected = new ObjectMapper().readTree(DOC);
    assertThat(JsonTrees.read(DOC)).isEqualTo(expected);
    assertThat(JsonTrees.read(DOC.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    assertThat(JsonTrees.read("[1,\"two\",null]"))
        .isEqualTo(new ObjectMapper().readTree("[1,\"two\",null]"));
    assertThat(JsonTrees.read("\"scalar\"").asText()).isEqualTo("scalar");
  }

  @Test
  void write_roundTrips_andMatchesObjectMapper() throws IOException {
    JsonNode tree = new ObjectMapper().readTree(DOC);
    byte[] written = JsonTrees.write(tree);
    assertThat(new ObjectMapper().readTree(written)).isEqualTo(tree);
    assertThat(JsonTrees.text(tree)).isEqualTo(new ObjectMapper().writeValueAsString(tree));
  }

  @Test
  void emptyInput_isAMissingNode_andBrokenInput_anError() throws IOException {
    assertThat(JsonTrees.read(new byte[0]).isMissingNode()).isTrue();
    assertThatThrownBy(() -> JsonTrees.read("{\"a\":")).isInstanceOf(IOException.class);
  }
}
