package io.jstack.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A plain HTTP/1.0 GET asked from inside a network namespace a test made (entered with {@code
 * nsenter --net}, which keeps /sys as it is), through bash's {@code /dev/tcp}: the host needs no
 * HTTP client, and the address may be one only that namespace reaches.
 */
public final class NamespaceHttp {
  private NamespaceHttp() {}

  /**
   * What {@code GET path} to {@code address:port} answered from namespace {@code netns}: its whole
   * response, status line first; empty when nothing answered within 3 s.
   */
  public static String get(String netns, String address, int port, String path)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "nsenter",
                "--net=/run/netns/" + netns,
                "timeout",
                "3",
                "bash",
                "-c",
                "exec 3<>/dev/tcp/$0/$1 && printf 'GET %s HTTP/1.0\\r\\n\\r\\n' \"$2\" >&3 && cat <&3",
                address,
                Integer.toString(port),
                path)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    p.getOutputStream().close();
    String response = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return response;
  }
}
