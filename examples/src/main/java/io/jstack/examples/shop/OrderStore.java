package io.jstack.examples.shop;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code orders} table in PostgreSQL, through JDBC.
 *
 * <p>Every call opens its own connection and closes it: a restarted database is simply reached
 * again by the next request, with no pool to validate or drain. That costs a few milliseconds per
 * request, which the shop can afford.
 */
public final class OrderStore {
  /** The table, as the db's init script also creates it. */
  static final String CREATE_TABLE =
      "CREATE TABLE IF NOT EXISTS orders ("
          + "id bigserial PRIMARY KEY, "
          + "item text NOT NULL, "
          + "quantity int NOT NULL, "
          + "created_at timestamptz NOT NULL DEFAULT now(), "
          + "replica text NOT NULL)";

  private static final String COLUMNS = "id, item, quantity, replica, created_at";

  private final String url;
  private final Properties properties = new Properties();

  /** A store in the database the config names. */
  public OrderStore(ShopConfig config) {
    this.url = config.jdbcUrl();
    properties.setProperty("user", config.dbUser());
    properties.setProperty("password", config.dbPassword());
    properties.setProperty("ApplicationName", "shop-app");
    // Seconds: a database that is down or stuck fails a request instead of hanging it.
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("loginTimeout", "5");
    properties.setProperty("socketTimeout", "15");
  }

  /** Creates the table unless it exists. */
  public void createTable() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(CREATE_TABLE);
    }
  }

  /** Stores a new order taken by the named replica and returns its row. */
  public Order insert(NewOrder order, String replica) throws SQLException {
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO orders (item, quantity, replica) VALUES (?, ?, ?) RETURNING "
                    + COLUMNS)) {
      s.setString(1, order.item());
      s.setInt(2, order.quantity());
      s.setString(3, replica);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return row(r);
      }
    }
  }

  /** The order with this id, if there is one. */
  public Optional<Order> find(long id) throws SQLException {
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement("SELECT " + COLUMNS + " FROM orders WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(row(r)) : Optional.empty();
      }
    }
  }

  /** Every order, by id. */
  public List<Order> all() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT " + COLUMNS + " FROM orders ORDER BY id")) {
      List<Order> orders = new ArrayList<>();
      while (r.next()) {
        orders.add(row(r));
      }
      return orders;
    }
  }

  /** How many orders there are. */
  public long count() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM orders")) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Runs {@code SELECT 1}: the database answers queries. */
  public void ping() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, properties);
  }

  private static Order row(ResultSet r) throws SQLException {
    return new Order(
        r.getLong("id"),
        r.getString("item"),
        r.getInt("quantity"),
        r.getString("replica"),
        r.getTimestamp("created_at").toInstant());
  }
}
