package bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * examples/hello through Testcontainers as its users write it: the web service exposed on a free
 * port through Testcontainers' ambassador, the test waiting until web's healthcheck passes.
 */
class FirstTest {
  @SuppressWarnings("rawtypes")
  static DockerComposeContainer stack;

  @BeforeAll
  @SuppressWarnings({"rawtypes", "resource"})
  static void up() {
    stack =
        new DockerComposeContainer(new File(System.getProperty("hello.compose")))
            .withLocalCompose(true)
            .withPull(false)
            .withExposedService("web", 8080, Wait.forHealthcheck());
    stack.start();
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      stack.stop();
    }
  }

  @Test
  void webAnswers() throws Exception {
    long sinceJvmStart =
        System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    Files.writeString(Path.of(System.getProperty("bench.out")), Long.toString(sinceJvmStart));
    String host = stack.getServiceHost("web", 8080);
    int port = stack.getServicePort("web", 8080);
    try (Socket s = new Socket(host, port)) {
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.0 200") || answer.startsWith("HTTP/1.1 200"), answer);
    }
  }
}
