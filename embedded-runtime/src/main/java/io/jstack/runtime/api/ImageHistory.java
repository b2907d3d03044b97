package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.image.ImageStore;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * {@code GET /images/{name}/history} ({@code docker history}), as dockerd answers it ({@code
 * daemon/images/image_history.go}): one entry per entry of the config's {@code history}, newest
 * first, each with {@code Created} (Unix seconds), {@code CreatedBy}, {@code Comment} and the
 * {@code Size} of the layer it made (0 for an empty layer). Only the newest entry carries the
 * image's ID and tags: dockerd names an older one only by a local parent image, which an image this
 * engine built, pulled or loaded does not have (as one BuildKit built or one pulled), so the rest
 * are {@code <missing>}, with null tags. A size is the layer's unpacked content as dockerd counts
 * it ({@link ImageService#diffSize}), or its stored (compressed) size where it is not unpacked.
 */
final class ImageHistory {
  /** Go's zero time in Unix seconds: what dockerd gives an entry without {@code created}. */
  static final long NO_TIME = -62135596800L;

  private ImageHistory() {}

  /**
   * The history of {@code img}, named {@code tags} (in the short form), its layers' sizes by index
   * from {@code layerSize}.
   *
   * @throws EngineException when the history lists more layers than the image has
   */
  static ArrayNode of(ImageStore.Image img, List<String> tags, ToLongFunction<Integer> layerSize) {
    List<ObjectNode> entries = new ArrayList<>();
    int layer = 0;
    for (JsonNode h : img.config().path("history")) {
      long size = 0;
      if (!h.path("empty_layer").asBoolean(false)) {
        if (layer >= img.layers().size()) {
          throw new EngineException(
              "image "
                  + img.configDigest()
                  + " has more non-empty entries in its history than layers ("
                  + img.layers().size()
                  + "): the image is malformed");
        }
        size = layerSize.applyAsLong(layer++);
      }
      ObjectNode e = Exchange.JSON.createObjectNode();
      e.put("Id", "<missing>");
      e.put("Created", seconds(h.path("created").asText("")));
      e.put("CreatedBy", h.path("created_by").asText(""));
      e.putNull("Tags");
      e.put("Size", size);
      e.put("Comment", h.path("comment").asText(""));
      entries.add(e);
    }
    ArrayNode out = Exchange.JSON.createArrayNode();
    for (int i = entries.size() - 1; i >= 0; i--) {
      out.add(entries.get(i));
    }
    if (!out.isEmpty()) {
      ObjectNode newest = (ObjectNode) out.get(0);
      newest.put("Id", img.configDigest());
      if (!tags.isEmpty()) {
        tags.forEach(newest.putArray("Tags")::add);
      }
    }
    return out;
  }

  private static long seconds(String created) {
    try {
      return created.isEmpty() ? NO_TIME : Instant.parse(created).getEpochSecond();
    } catch (DateTimeParseException e) {
      return NO_TIME;
    }
  }
}
