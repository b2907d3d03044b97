package io.jstack.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** DOT and Mermaid as written, character for character, for a small diagram. */
class DiagramTest {
  static final Diagram SMALL =
      new Diagram(
          List.of(
              new Diagram.Node("n1", "db", Diagram.Shape.CYLINDER),
              new Diagram.Node("n2", "say \"hi\"\nto C:\\", Diagram.Shape.BOX),
              new Diagram.Node("n3", "a<b>#1;|`&", Diagram.Shape.ROUNDED),
              new Diagram.Node("n4", "net", Diagram.Shape.HEXAGON)),
          List.of(
              new Diagram.Edge("n1", "n2", "service_healthy"),
              new Diagram.Edge("n2", "n3", ""),
              new Diagram.Edge("n4", "n3", "x|\"y\"")));

  @Test
  void dot_quotesLabelsAndEscapesQuotesBackslashesAndLineBreaks() {
    assertThat(SMALL.dot("pic \"1\""))
        .isEqualTo(
            """
            digraph "pic \\"1\\"" {
              rankdir=LR;
              node [shape=box, fontname="Helvetica"];
              edge [fontname="Helvetica"];
              n1 [label="db", shape=cylinder];
              n2 [label="say \\"hi\\"\\nto C:\\\\", shape=box];
              n3 [label="a<b>#1;|`&", shape=box, style=rounded];
              n4 [label="net", shape=hexagon];
              n1 -> n2 [label="service_healthy"];
              n2 -> n3;
              n4 -> n3 [label="x|\\"y\\""];
            }
            """);
  }

  @Test
  void mermaid_writesSpecialCharactersAsEntityCodes() {
    assertThat(SMALL.mermaid())
        .isEqualTo(
            """
            flowchart LR
              n1[("db")]
              n2["say #34;hi#34;<br>to C:\\"]
              n3(["a#60;b#62;#35;1;#124;#96;#38;"])
              n4{{"net"}}
              n1 -->|"service_healthy"| n2
              n2 --> n3
              n4 -->|"x#124;#34;y#34;"| n3
            """);
  }

  @Test
  void controlCharacters_becomeSpaces_andCarriageReturnsLineBreaks() {
    assertThat(Diagram.dotString("a\tb\u0000c\r\nd\re")).isEqualTo("\"a b c\\nd\\ne\"");
    assertThat(Diagram.mermaidText("a\tb\u0000c\r\nd\re")).isEqualTo("a b c<br>d<br>e");
  }

  @Test
  void nodeId_outsideWordCharacters_isRefused() {
    assertThatThrownBy(() -> new Diagram.Node("a-b", "x", Diagram.Shape.BOX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("diagram node id must be [A-Za-z0-9_]+, not a-b");
  }
}
