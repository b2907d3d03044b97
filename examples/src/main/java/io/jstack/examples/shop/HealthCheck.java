package io.jstack.examples.shop;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A container health check for images without curl: asks the app on this host for {@code /health}
 * and exits 0 when it answers 200, else 1 with the reason on stderr. Run it as {@code java -cp
 * /app/shop.jar io.jstack.examples.shop.HealthCheck}; it reads {@code PORT} as the app does.
 */
public final class HealthCheck {
  private HealthCheck() {}

  /** Checks the app's health once; the exit status is the answer. */
  public static void main(String[] args) {
    int port;
    try {
      port = ShopConfig.httpPort(System.getenv());
    } catch (ShopConfig.InvalidConfigException e) {
      System.err.println("health: " + e.getMessage());
      System.exit(1);
      return;
    }
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/health").toURL().openConnection();
      c.setConnectTimeout(2_000);
      c.setReadTimeout(5_000);
      int status = c.getResponseCode();
      InputStream body = status < 400 ? c.getInputStream() : c.getErrorStream();
      String text =
          body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8).strip();
      System.out.println(status + " " + text);
      System.exit(status == 200 ? 0 : 1);
    } catch (IOException e) {
      System.err.println("health: no answer on port " + port + ": " + e);
      System.exit(1);
    }
  }
}
