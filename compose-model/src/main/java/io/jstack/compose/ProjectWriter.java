package io.jstack.compose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jstack.compose.internal.bind.Writer;
import java.io.UncheckedIOException;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Writes a model as {@code docker compose config} does: canonical long syntax, keys sorted, unset
 * values left out, every literal {@code $} written as {@code $$} so the output loads back to the
 * same model.
 */
public final class ProjectWriter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ProjectWriter() {}

  /** The YAML text of {@code value} (a model record, or a plain tree). */
  public static String yaml(Object value) {
    return yaml(value, true);
  }

  /**
   * The YAML text of {@code value}; without {@code escapeDollars} a {@code $} is written as it is
   * (for output that was not interpolated, where {@code ${VAR}} is still a template).
   */
  public static String yaml(Object value, boolean escapeDollars) {
    DumpSettings settings =
        DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setIndicatorIndent(2)
            .setIndentWithIndicator(true)
            .setWidth(Integer.MAX_VALUE)
            .build();
    return new Dump(settings).dumpToString(Writer.toPlain(value, escapeDollars));
  }

  /** The JSON text of {@code value} (a model record, or a plain tree). */
  public static String json(Object value) {
    return json(value, true);
  }

  /** The JSON of {@code value} on one line, for line-oriented output ({@code ps --format json}). */
  public static String jsonLine(Object value) {
    try {
      return new ObjectMapper().writeValueAsString(Writer.toPlain(value, false));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON text of {@code value}, escaping {@code $} as {@link #yaml(Object, boolean)} does. */
  public static String json(Object value, boolean escapeDollars) {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter();
    printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    try {
      return JSON.writer(printer).writeValueAsString(Writer.toPlain(value, escapeDollars)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
