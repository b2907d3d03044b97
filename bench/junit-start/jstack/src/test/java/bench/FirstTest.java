package bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jstack.junit.Endpoint;
import io.jstack.junit.JStack;
import io.jstack.junit.ServicePort;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * examples/hello through jstack's extension as its users write it: web on a free port, every
 * healthcheck passed before the first test.
 */
@JStack(file = "../../../examples/hello/compose.yaml")
class FirstTest {
  @Test
  void webAnswers(@ServicePort(service = "web", port = 8080) Endpoint web) throws Exception {
    long sinceJvmStart =
        System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    Files.writeString(Path.of(System.getProperty("bench.out")), Long.toString(sinceJvmStart));
    try (Socket s = new Socket(web.host(), web.port())) {
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.0 200") || answer.startsWith("HTTP/1.1 200"), answer);
    }
  }
}
