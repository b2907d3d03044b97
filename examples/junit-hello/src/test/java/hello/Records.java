package hello;

import io.jstack.junit.Stack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Notes, for jstack's own check of this example, which stack a test class saw: this JVM, the
 * class, the scope, the project, web's container (its hostname), web's host port and when the test
 * ran. Does nothing unless -Drecords.file is set.
 */
final class Records {
  private Records() {}

  static void note(Class<?> test, String scope, Stack stack, long began) throws IOException {
    String file = System.getProperty("records.file", "");
    if (file.isBlank()) {
      return;
    }
    String line =
        String.join(
                " ",
                Long.toString(ProcessHandle.current().pid()),
                test.getSimpleName(),
                scope,
                stack.project(),
                stack.exec("web", "hostname").stdout().strip(),
                Integer.toString(stack.endpoint("web", 8080).port()),
                Long.toString(began),
                Long.toString(System.currentTimeMillis()))
            + "\n";
    // One short write with O_APPEND: lines of parallel tests and forks do not interleave.
    Files.write(
        Path.of(file),
        line.getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
