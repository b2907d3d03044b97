package io.jstack.examples.shop;

import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An order as a client asks for it: what and how many.
 *
 * @param item what is ordered: 1 to {@value #MAX_ITEM} characters, not only spaces
 * @param quantity how many: 1 to {@value #MAX_QUANTITY}
 */
public record NewOrder(String item, int quantity) {
  /** The longest item name, in characters. */
  public static final int MAX_ITEM = 200;

  /** The largest quantity of one order. */
  public static final int MAX_QUANTITY = 10_000;

  /**
   * Checks the fields.
   *
   * @throws ShopException (400) naming the field that is out of range
   */
  public NewOrder {
    if (item.isBlank() || item.length() > MAX_ITEM) {
      throw new ShopException(
          400, "item must be a name of 1 to " + MAX_ITEM + " characters, got " + Json.quote(item));
    }
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new ShopException(
          400, "quantity must be a whole number from 1 to " + MAX_QUANTITY + ", got " + quantity);
    }
  }

  /**
   * Reads {@code {"item":"...","quantity":N}}; other fields are refused, so that a misspelt one
   * does not pass unnoticed.
   *
   * @throws ShopException (400) naming what is wrong with the body
   */
  public static NewOrder fromJson(String body) {
    Map<String, @Nullable Object> fields = Json.parseObject(body);
    for (String key : fields.keySet()) {
      if (!key.equals("item") && !key.equals("quantity")) {
        throw new ShopException(
            400, "unknown field " + Json.quote(key) + ": an order has only item and quantity");
      }
    }
    if (!(fields.get("item") instanceof String item)) {
      throw new ShopException(400, "item is missing or not a string: send {\"item\":\"tea\",...}");
    }
    if (!(fields.get("quantity") instanceof BigDecimal quantity)) {
      throw new ShopException(
          400, "quantity is missing or not a number: send {...,\"quantity\":2}");
    }
    int whole;
    try {
      whole = quantity.intValueExact();
    } catch (ArithmeticException e) {
      throw new ShopException(
          400,
          "quantity must be a whole number from 1 to "
              + MAX_QUANTITY
              + ", got "
              + quantity.toPlainString());
    }
    return new NewOrder(item, whole);
  }
}
