package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.engine.Names;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.internal.NativeFs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Named volumes of the embedded engine (the {@code local} driver): a directory each, {@code <data
 * root>/volumes/<name>/_data}, with its labels beside it.
 */
public final class Volumes {
  private final Path dir;

  public Volumes(DataRoot root) {
    this.dir = root.path().resolve("volumes");
    NativeFs.spreadSubdirectories(dir);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** A volume's {@code meta.json}. */
  private record Meta(String created, Map<String, String> labels) {}

  /** A volume: its name, labels, where its data is, and when it was made. */
  public record Volume(String name, Map<String, String> labels, Path data, Instant created) {}

  /** Creates a volume (an existing one of that name is kept, as Docker does). */
  public Volume create(String name, Map<String, String> labels) {
    Names.volume(name);
    Optional<Volume> existing = find(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    Path v = dir.resolve(name);
    try {
      Files.createDirectories(v.resolve("_data"));
      Path temp = v.resolve("meta.json.tmp");
      Files.write(temp, MAPPER.writeValueAsBytes(new Meta(Instant.now().toString(), labels)));
      Files.move(temp, v.resolve("meta.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new EngineException("cannot create volume " + name + ": " + e.getMessage(), e);
    }
    return find(name).orElseThrow();
  }

  public Optional<Volume> find(String name) {
    if (!Names.isVolume(name)) {
      return Optional.empty(); // no volume can have it; nor may it reach outside volumes/
    }
    Path meta = dir.resolve(name).resolve("meta.json");
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    try {
      Meta m = MAPPER.readValue(meta.toFile(), Meta.class);
      return Optional.of(
          new Volume(
              name,
              new TreeMap<>(m.labels() == null ? Map.of() : m.labels()),
              dir.resolve(name).resolve("_data"),
              Instant.parse(m.created())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public List<Volume> list() {
    List<Volume> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
      for (Path p : all) {
        find(p.getFileName().toString()).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new EngineException("cannot list volumes in " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The bytes of the files in a volume's data (what removing it frees). */
  public long size(Volume v) {
    return io.jstack.runtime.internal.TreeBytes.of(v.data());
  }

  /** Removes a volume and its data. */
  public void remove(String name) {
    if (find(name).isEmpty()) {
      throw new EngineException.NotFound("get " + name + ": no such volume");
    }
    try {
      LayerUnpacker.removeTree(dir.resolve(name));
    } catch (IOException e) {
      throw new EngineException("cannot remove volume " + name + ": " + e.getMessage(), e);
    }
  }
}
