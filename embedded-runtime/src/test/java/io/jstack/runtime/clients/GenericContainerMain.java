package io.jstack.runtime.clients;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A Testcontainers user's program, run by {@link TestcontainersIT} in a JVM of its own with {@code
 * DOCKER_HOST} naming the engine: a {@link GenericContainer} of the examples' busybox with an
 * exposed port on a network of its own, waited for (its port and a log line) and reached from here;
 * a file copied in and out, an exec, the logs; a second container that looks the first up by its
 * network alias. Prints what it saw as {@code key=value} lines for the test to check; exits 1 with
 * the stack trace when a call fails.
 *
 * <p>Arguments: a label value that marks its container (for the test's clean-up) and a directory
 * for the file copied out.
 */
final class GenericContainerMain {
  private GenericContainerMain() {}

  public static void main(String[] args) throws Exception {
    String label = args[0];
    Path work = Path.of(args[1]);
    try (Network network = Network.newNetwork();
        GenericContainer<?> c =
            new GenericContainer<>(DockerImageName.parse(ClientTarget.BUSYBOX))
                .withLabel("io.jstack.test", label)
                .withNetwork(network)
                .withNetworkAliases("web-" + label)
                .waitingFor(
                    new WaitAllStrategy()
                        .withStrategy(Wait.forListeningPort())
                        .withStrategy(Wait.forLogMessage("started .*\\n", 1)))
                .withExposedPorts(8080)
                .withCopyToContainer(Transferable.of("copied " + label + "\n", 0751), "/tmp/in.txt")
                .withCommand(
                    "sh",
                    "-c",
                    "echo started "
                        + label
                        + "; while true; do echo hello-from-nc | nc -l -p 8080;"
                        + " done")) {
      c.start();
      say("host", c.getHost());
      int port = c.getMappedPort(8080);
      say("port", String.valueOf(port));
      try (Socket s = new Socket(c.getHost(), port)) {
        s.setSoTimeout(5000);
        say(
            "reached",
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                .readLine());
      }
      Container.ExecResult r =
          c.execInContainer(
              "sh", "-c", "cat /tmp/in.txt; stat -c %a /tmp/in.txt; echo e >&2; exit 3");
      say("exec.stdout", r.getStdout().replace("\n", "|"));
      say("exec.stderr", r.getStderr().replace("\n", "|"));
      say("exec.exit", String.valueOf(r.getExitCode()));
      Path out = work.resolve("out.txt");
      c.copyFileFromContainer("/tmp/in.txt", out.toString());
      say("copied", Files.readString(out).replace("\n", "|"));
      say("logs", c.getLogs().replace("\n", "|"));
      say("running", String.valueOf(c.isRunning()));
      say(
          "address",
          c.getContainerInfo()
              .getNetworkSettings()
              .getNetworks()
              .values()
              .iterator()
              .next()
              .getIpAddress());
      try (GenericContainer<?> lookup =
          new GenericContainer<>(DockerImageName.parse(ClientTarget.BUSYBOX))
              .withLabel("io.jstack.test", label)
              .withNetwork(network)
              .withCommand("nslookup", "web-" + label)
              .withStartupCheckStrategy(
                  new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)))) {
        lookup.start();
        say("nslookup", lookup.getLogs().replace("\n", "|"));
      }
    }
    System.exit(0);
  }

  private static void say(String key, String value) {
    System.out.println(key + "=" + value);
  }
}
