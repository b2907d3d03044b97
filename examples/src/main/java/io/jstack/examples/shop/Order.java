package io.jstack.examples.shop;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An order as stored: its row in the {@code orders} table.
 *
 * @param id the row's id, from 1
 * @param item what was ordered
 * @param quantity how many
 * @param replica the host name of the app replica that took the order
 * @param createdAt when the database stored it
 */
public record Order(long id, String item, int quantity, String replica, Instant createdAt) {

  /**
   * The order as a JSON object: {@code {"id":..,"item":..,"quantity":..,"replica":..,
   * "created_at":"<ISO-8601 UTC>"}}.
   */
  public String toJson() {
    return "{\"id\":"
        + id
        + ",\"item\":"
        + Json.quote(item)
        + ",\"quantity\":"
        + quantity
        + ",\"replica\":"
        + Json.quote(replica)
        + ",\"created_at\":"
        + Json.quote(createdAt.toString())
        + "}";
  }

  /** Orders as a JSON array, in the order given. */
  public static String toJson(List<Order> orders) {
    return orders.stream().map(Order::toJson).collect(Collectors.joining(",", "[", "]"));
  }
}
