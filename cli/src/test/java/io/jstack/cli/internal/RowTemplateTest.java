package io.jstack.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowTemplateTest {
  private static final Map<String, String> FIELDS =
      Map.of("Name", "NAME", "Status", "STATUS", "ExitCode", "EXIT CODE", "Labels", "LABELS");

  private static final List<Map<String, Object>> ROWS =
      List.of(
          Map.of("Name", "a-1", "Status", "Up 2 seconds", "ExitCode", 0, "Labels", Map.of()),
          Map.of(
              "Name",
              "b-1",
              "Status",
              "Exited (3)",
              "ExitCode",
              3,
              "Labels",
              Map.of("tier", "back", "app", "shop")));

  private static String print(String format) {
    StringWriter out = new StringWriter();
    RowTemplate.parse(format, FIELDS).print(new PrintWriter(out, true), ROWS);
    return out.toString();
  }

  @Test
  void fieldsFunctionsAndEscapes_asGoTemplatesPrintThem() {
    assertThat(print("{{.Name}}\\t{{ .ExitCode }}")).isEqualTo("a-1\t0\nb-1\t3\n");
    assertThat(print("{{upper .Name}}|{{lower .Status}}"))
        .isEqualTo("A-1|up 2 seconds\nB-1|exited (3)\n");
    assertThat(print("{{.Labels}}")).isEqualTo("\napp=shop,tier=back\n");
    assertThat(print("{{.Label \"tier\"}}.")).isEqualTo(".\nback.\n");
    assertThat(print("{{json .ExitCode}} {{json .Name}}")).isEqualTo("0 \"a-1\"\n3 \"b-1\"\n");
    assertThat(print("{{json .}}").lines().toList().get(1))
        .isEqualTo(
            "{\"ExitCode\":3,\"Labels\":{\"app\":\"shop\",\"tier\":\"back\"},\"Name\":\"b-1\","
                + "\"Status\":\"Exited (3)\"}");
    assertThat(print("plain")).isEqualTo("plain\nplain\n");
  }

  @Test
  void forList_tableIsTheDefaultColumns_jsonAnObjectPerRowWithLabelsAsDockerWritesThem() {
    StringWriter table = new StringWriter();
    RowTemplate.forList("table", "table {{.Name}}\t{{.Status}}", FIELDS)
        .print(new PrintWriter(table, true), ROWS);
    StringWriter json = new StringWriter();
    RowTemplate.forList("json", "table {{.Name}}", FIELDS).print(new PrintWriter(json, true), ROWS);

    assertThat(table.toString())
        .isEqualTo("NAME   STATUS\na-1    Up 2 seconds\nb-1    Exited (3)\n");
    assertThat(json.toString().lines().toList())
        .containsExactly(
            "{\"ExitCode\":0,\"Labels\":\"\",\"Name\":\"a-1\",\"Status\":\"Up 2 seconds\"}",
            "{\"ExitCode\":3,\"Labels\":\"app=shop,tier=back\",\"Name\":\"b-1\","
                + "\"Status\":\"Exited (3)\"}");
    assertThat(print("{{.Name}}")).isEqualTo("a-1\nb-1\n");
  }

  @Test
  void table_printsTheHeadersAndAlignsTheColumns() {
    assertThat(print("table {{.Name}}\\t{{.Status}}\\t{{.Label \"tier\"}}"))
        .isEqualTo(
            "NAME   STATUS         TIER\n"
                + "a-1    Up 2 seconds\n"
                + "b-1    Exited (3)     back\n");
  }

  @Test
  void whatItCannotRead_isRefusedBeforeAnyRow_namingTheFields() {
    assertThatThrownBy(() -> RowTemplate.parse("{{.Names}}", FIELDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no field .Names; fields: ");
    assertThatThrownBy(() -> RowTemplate.parse("{{range .Labels}}x{{end}}", FIELDS))
        .hasMessageContaining("cannot read {{range .Labels}}");
    assertThatThrownBy(() -> RowTemplate.parse("{{.Name", FIELDS))
        .hasMessageContaining("unclosed action at 1");
    assertThatThrownBy(() -> RowTemplate.parse("{{upper .}}", FIELDS))
        .hasMessageContaining("cannot read {{upper .}}");
  }
}
