package io.jstack.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  @Test
  void parseObject_flatValues_keepTheirTypesAndOrder() {
    var fields =
        Json.parseObject(
            " {\"b\" : \"x\",\n\"a\":-12.5e1, \"t\":true,\"f\":false,\"n\":null, \"z\":0} ");

    assertThat(fields.keySet()).containsExactly("b", "a", "t", "f", "n", "z");
    assertThat(fields)
        .containsEntry("b", "x")
        .containsEntry("a", new BigDecimal("-12.5e1"))
        .containsEntry("t", true)
        .containsEntry("f", false)
        .containsEntry("n", null)
        .containsEntry("z", BigDecimal.ZERO);
  }

  @Test
  void parseObject_escapes_areDecoded() {
    var fields = Json.parseObject("{\"s\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC\"}");

    assertThat(fields).containsExactly(entry("s", "q\" b\\ s/ \b\f\n\r\t é€"));
  }

  @Test
  void parseObject_empty_isEmpty() {
    assertThat(Json.parseObject("{ }")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``| bad JSON at the end: expected '{'",
        "[]| bad JSON at character 1: expected '{' but found '['",
        "{\"a\":1| bad JSON at the end: expected '}'",
        "{\"a\" 1}| bad JSON at character 6: expected ':' but found '1'",
        "{a:1}| bad JSON at character 2: expected '\"' but found 'a'",
        "{\"a\":1,}| bad JSON at character 8: expected '\"' but found '}'",
        "{\"a\":1} {}| bad JSON at character 9: text after the object",
        "{\"a\":{}}| bad JSON at character 6: nested objects and arrays are not supported here",
        "{\"a\":[1]}| bad JSON at character 6: nested objects and arrays are not supported here",
        "{\"a\":tru}| bad JSON at character 6: expected a value",
        "{\"a\":01}| bad JSON at character 6: bad number 01",
        "{\"a\":-}| bad JSON at character 7: bad number -",
        "{\"a\":1.}| bad JSON at character 6: bad number 1.",
        "{\"a\":\"x| bad JSON at the end: unterminated string",
        "{\"a\":\"\\x\"}| bad JSON at character 8: unknown escape \\x",
        "{\"a\":\"\\u12G4\"}| bad JSON at character 9: \\u needs four hex digits",
        "{\"a\":1,\"a\":2}| bad JSON at character 8: field \"a\" is given twice",
      })
  void parseObject_badText_saysWhereAndWhat(String text, String message) {
    assertThatThrownBy(() -> Json.parseObject(text))
        .isInstanceOfSatisfying(ShopException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage(message);
  }

  @Test
  void parseObject_rawControlCharacterInString_isRefused() {
    assertThatThrownBy(() -> Json.parseObject("{\"a\":\"line\nbreak\"}"))
        .hasMessage("bad JSON at character 11: control character in a string (escape it)");
  }

  @Test
  void quote_escapesWhatJsonNeeds() {
    assertThat(Json.quote("plain")).isEqualTo("\"plain\"");
    assertThat(Json.quote("a\"b\\c\nd\re\tf\u0001g\u2028é"))
        .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u2028é\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "tea", "caf\u00e9 \"noir\"", "back\\slash", "tab\tnew\nline\u0000", "😀"})
  void quote_thenParse_givesTheStringBack(String s) {
    assertThat(Json.parseObject("{\"k\":" + Json.quote(s) + "}")).containsExactly(entry("k", s));
  }

  @Test
  void newOrder_fromJson_readsItemAndQuantity() {
    assertThat(NewOrder.fromJson("{\"quantity\": 3, \"item\": \"tea\"}"))
        .isEqualTo(new NewOrder("tea", 3));
    assertThat(NewOrder.fromJson("{\"item\":\"jam\",\"quantity\":2.0}"))
        .isEqualTo(new NewOrder("jam", 2));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"quantity\":1}| item is missing or not a string: send {\"item\":\"tea\",...}",
        "{\"item\":5,\"quantity\":1}| item is missing or not a string: send {\"item\":\"tea\",...}",
        "{\"item\":\"tea\"}| quantity is missing or not a number: send {...,\"quantity\":2}",
        "{\"item\":\"tea\",\"quantity\":\"2\"}| quantity is missing or not a number: send {...,\"quantity\":2}",
        "{\"item\":\"tea\",\"quantity\":0}| quantity must be a whole number from 1 to 10000, got 0",
        "{\"item\":\"tea\",\"quantity\":10001}| quantity must be a whole number from 1 to 10000, got 10001",
        "{\"item\":\"tea\",\"quantity\":1.5}| quantity must be a whole number from 1 to 10000, got 1.5",
        "{\"item\":\"tea\",\"quantity\":1e10}| quantity must be a whole number from 1 to 10000, got 10000000000",
        "{\"item\":\" \",\"quantity\":1}| item must be a name of 1 to 200 characters, got \" \"",
        "{\"item\":\"tea\",\"quantity\":1,\"price\":2}| unknown field \"price\": an order has only item and quantity",
      })
  void newOrder_fromJson_badOrder_isA400NamingTheField(String body, String message) {
    assertThatThrownBy(() -> NewOrder.fromJson(body))
        .isInstanceOfSatisfying(ShopException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage(message);
  }

  @Test
  void newOrder_longItem_isRefused() {
    assertThat(new NewOrder("x".repeat(200), 1).item()).hasSize(200);
    assertThatThrownBy(() -> new NewOrder("x".repeat(201), 1))
        .hasMessageStartingWith("item must be a name of 1 to 200 characters");
  }

  @Test
  void order_toJson_hasEveryColumn() {
    Order o =
        new Order(7, "caf\u00e9 \"x\"", 2, "shop-app-1", Instant.parse("2026-12-06T13:03:02.5Z"));

    assertThat(o.toJson())
        .isEqualTo(
            "{\"id\":7,\"item\":\"café \\\"x\\\"\",\"quantity\":2,\"replica\":\"shop-app-1\","
                + "\"created_at\":\"2026-12-06T13:03:02.500Z\"}");
    assertThat(Json.parseObject(o.toJson()))
        .containsEntry("id", new BigDecimal(7))
        .containsEntry("item", "café \"x\"")
        .containsEntry("replica", "shop-app-1");
  }

  @Test
  void orders_toJson_isAnArrayInTheOrderGiven() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    Order a = new Order(1, "a", 1, "r1", t);
    Order b = new Order(2, "b", 2, "r2", t);

    assertThat(Order.toJson(List.of())).isEqualTo("[]");
    assertThat(Order.toJson(List.of(b, a))).isEqualTo("[" + b.toJson() + "," + a.toJson() + "]");
  }
}
