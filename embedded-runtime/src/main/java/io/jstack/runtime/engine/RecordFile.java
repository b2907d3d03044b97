package io.jstack.runtime.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jstack.engine.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A container's record file, {@code containers/<id>/record.json}: {@code {"format": 2, "container":
 * {...}}}, the {@link ContainerRecord} with its typed fields. It is written whole to {@code
 * record.json.tmp} and moved over the old one, so that a crash leaves the old record or the new
 * one. Format 1 (jstack before the typed record: Docker's create body with the engine's own keys)
 * is upgraded by the engine process before it opens its records.
 */
public final class RecordFile {
  /** The format this jstack writes. */
  public static final int FORMAT = 2;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private record Stored(int format, ContainerRecord container) {}

  private record Format(int format) {}

  private RecordFile() {}

  /** A record file that is not one (cut short, or not JSON). */
  public static final class Unreadable extends EngineException {
    private static final long serialVersionUID = 1L;

    Unreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The record file in container directory {@code dir}. */
  public static Path in(Path dir) {
    return dir.resolve("record.json");
  }

  /**
   * Reads a record file; empty when there is none.
   *
   * @throws Unreadable when it is not a record
   * @throws EngineException when it has another format
   */
  public static Optional<ContainerRecord> read(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    // The format first: another format's container may not bind to this one's types.
    int format;
    Stored s;
    try {
      byte[] bytes = Files.readAllBytes(file);
      format = MAPPER.readValue(bytes, Format.class).format();
      s = format == FORMAT ? MAPPER.readValue(bytes, Stored.class) : null;
    } catch (IOException | RuntimeException e) {
      throw new Unreadable("cannot read container record " + file + ": " + e.getMessage(), e);
    }
    if (s == null || s.container() == null) {
      throw new EngineException(
          "container record "
              + file
              + " has format "
              + format
              + "; this jstack reads "
              + FORMAT
              + (format < FORMAT
                  ? ": restart the engine (jstack engine stop; the next command starts it), which"
                      + " upgrades it"
                  : ": use the jstack that wrote it"));
    }
    return Optional.of(s.container());
  }

  /**
   * Writes {@code r} to its container directory {@code dir}.
   *
   * @throws EngineException when it cannot be written
   */
  public static void write(Path dir, ContainerRecord r) {
    Path file = in(dir);
    Path temp = file.resolveSibling("record.json.tmp");
    try {
      try {
        Files.write(temp, MAPPER.writeValueAsBytes(new Stored(FORMAT, r)));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        // A record half-written on a full disk is not left beside the whole one it did not replace.
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new EngineException("cannot record container " + r.name() + ": " + e.getMessage(), e);
    }
  }
}
