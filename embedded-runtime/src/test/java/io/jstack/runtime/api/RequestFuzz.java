package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A seeded fuzzer of the requests a hostile client would mangle: valid create, exec, network and
 * archive requests ({@code PUT} and {@code GET /containers/{id}/archive}), each mutated one of a
 * dozen ways (bytes flipped, fields dropped or retyped, huge values, truncation, wrong lengths,
 * hostile names and paths) and sent on a connection of its own. The same seed sends the same
 * requests. What it tallies is each status seen; {@link Reply#NONE} when no answer came.
 *
 * <p>{@code jstack.fuzz.requests} sets how many requests a run sends, {@code jstack.fuzz.seed} its
 * seed.
 */
final class RequestFuzz {
  /** What the valid requests name: a running container, a network, an image. */
  record Target(String container, String network, String image) {}

  /** The outcome of a run: requests sent, and how many got each status (-1: none). */
  record Outcome(int sent, long seed, Map<Integer, Integer> statuses, List<String> failures) {
    long serverErrors() {
      return statuses.entrySet().stream()
          .filter(e -> e.getKey() >= 500)
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    @Override
    public String toString() {
      return "fuzz: "
          + sent
          + " requests sent (seed "
          + seed
          + "), statuses "
          + statuses
          + ", 5xx "
          + serverErrors()
          + ", unanswered "
          + statuses.getOrDefault(RawHttp.Reply.NONE, 0);
    }
  }

  private static final List<String> HOSTILE_NAMES =
      List.of(
          "..",
          "../../etc",
          "a/b",
          "%2e%2e%2f%2e%2e",
          "%00",
          "a%0Ab",
          "a%0D%0AX-Injected:%201",
          "%01%02",
          "x".repeat(3000),
          "%zz",
          "%",
          "/",
          "",
          "-rf",
          "%F0%9F%92%A9");

  private static final List<String> HOSTILE_PATHS =
      List.of(
          "/../../../../etc",
          "/etc/../../..",
          "..",
          "/tmp/%00x",
          "/tmp/a%0Ab",
          "%zz",
          "/" + "d/".repeat(400),
          "",
          "/proc/self/root/etc",
          "//////");

  private final Target target;
  private final Random random;
  private final long seed;

  /** How the last request was mutated: 5 and over cut, flip or misstate its bytes. */
  private int lastHow;

  RequestFuzz(Target target, long seed) {
    this.target = target;
    this.seed = seed;
    this.random = new Random(seed);
  }

  /** How many requests a run sends: {@code -Djstack.fuzz.requests}, else {@code fallback}. */
  static int requests(int fallback) {
    return Integer.getInteger("jstack.fuzz.requests", fallback);
  }

  /** The seed of a run: {@code -Djstack.fuzz.seed}, else {@code fallback}. */
  static long seed(long fallback) {
    return Long.getLong("jstack.fuzz.seed", fallback);
  }

  /** Sends {@code count} mutated requests with {@code raw}, each answered within {@code limit}. */
  Outcome run(RawHttp raw, int count, Duration limit) throws IOException {
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] request = next(i);
      // Cut, flipped or misstated requests end their sending half, or they would be waited for;
      // whole ones do not, as Docker's clients do not. A flipped archive download ends it only
      // when no answer began within a second: a half-closed client can lose the end of a long
      // answer (a whole container root), which is not what this fuzz is after.
      Duration halfClose =
          lastHow < 5 ? null : lastHow == 10 && i % 6 == 5 ? Duration.ofSeconds(1) : Duration.ZERO;
      RawHttp.Reply r = raw.exchange(request, limit, halfClose);
      statuses.merge(r.status(), 1, Integer::sum);
      if ((r.status() >= 500 || r.status() == RawHttp.Reply.NONE) && failures.size() < 20) {
        failures.add(
            "request "
                + i
                + " answered "
                + r.status()
                + " "
                + r.text().strip()
                + " to: "
                + ApiErrors.oneLine(
                    new String(
                        request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1)));
      }
    }
    return new Outcome(count, seed, statuses, failures);
  }

  // ------------------------------------------------------------------ the valid requests

  private ObjectNode createBody() {
    ObjectNode b = JsonNodeFactory.instance.objectNode();
    b.put("Image", target.image());
    b.putArray("Cmd").add("sh").add("-c").add("sleep 1");
    b.putArray("Env").add("A=1").add("B=two");
    b.putObject("Labels").put("io.jstack.test", "fuzz");
    b.putObject("ExposedPorts").putObject("80/tcp");
    b.put("Tty", false);
    b.put("StopTimeout", 5);
    ObjectNode h = b.putObject("HostConfig");
    h.putObject("PortBindings")
        .putArray("80/tcp")
        .addObject()
        .put("HostIp", "127.0.0.1")
        .put("HostPort", "0");
    h.put("Memory", 64 << 20);
    h.putArray("CapDrop").add("NET_RAW");
    h.putObject("RestartPolicy").put("Name", "no").put("MaximumRetryCount", 0);
    h.putArray("Mounts")
        .addObject()
        .put("Type", "tmpfs")
        .put("Target", "/scratch")
        .putObject("TmpfsOptions")
        .put("SizeBytes", 1 << 20);
    h.putObject("Tmpfs").put("/run", "rw,size=1m");
    h.putArray("Ulimits").addObject().put("Name", "nofile").put("Soft", 1024).put("Hard", 1024);
    b.putObject("NetworkingConfig")
        .putObject("EndpointsConfig")
        .putObject(target.network())
        .putArray("Aliases")
        .add("fuzzed");
    return b;
  }

  private ObjectNode execBody() {
    ObjectNode b = JsonNodeFactory.instance.objectNode();
    b.putArray("Cmd").add("cat").add("/etc/hostname");
    b.putArray("Env").add("X=1");
    b.put("AttachStdout", true);
    b.put("AttachStderr", true);
    b.put("Tty", false);
    b.put("WorkingDir", "/");
    return b;
  }

  private ObjectNode networkBody() {
    ObjectNode b = JsonNodeFactory.instance.objectNode();
    b.put("Name", "fuzz-net");
    b.put("Driver", "bridge");
    b.put("Internal", true);
    b.putObject("Labels").put("io.jstack.test", "fuzz");
    b.putObject("IPAM").putArray("Config").addObject().put("Subnet", "10.250.0.0/24");
    return b;
  }

  private ObjectNode connectBody() {
    ObjectNode b = JsonNodeFactory.instance.objectNode();
    b.put("Container", target.container());
    b.putObject("EndpointConfig").putArray("Aliases").add("fuzzed");
    return b;
  }

  private static byte[] tar() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      byte[] content = "fuzzed\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("fuzzed.txt");
      e.setSize(content.length);
      t.putArchiveEntry(e);
      t.write(content);
      t.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------ mutations

  /** Request {@code i}: a valid one of the kinds in turn, mutated one way or another. */
  byte[] next(int i) {
    String c = target.container();
    String path;
    String query = "";
    byte[] body;
    String method = "POST";
    String type = "application/json";
    JsonNode json = null;
    switch (i % 6) {
      case 0 -> {
        path = "/v1.41/containers/create";
        query = "?name=fuzz-" + i;
        json = createBody();
      }
      case 1 -> {
        path = "/v1.41/containers/" + c + "/exec";
        json = execBody();
      }
      case 2 -> {
        path = "/v1.41/networks/create";
        json = networkBody();
      }
      case 3 -> {
        path =
            "/v1.41/networks/"
                + target.network()
                + (random.nextBoolean() ? "/connect" : "/disconnect");
        json = connectBody();
      }
      case 4 -> {
        method = "PUT";
        path = "/v1.41/containers/" + c + "/archive";
        query = "?path=/tmp";
        type = "application/x-tar";
      }
      default -> {
        method = "GET";
        path = "/v1.41/containers/" + c + "/archive";
        query = "?path=/etc/hostname";
        type = null;
      }
    }
    int how = random.nextInt(12);
    lastHow = how;
    if (json != null && how < 4) {
      mutateJson(json, how);
    }
    if (how == 4) {
      if (query.startsWith("?name=")) {
        query = "?name=" + pick(HOSTILE_NAMES);
      } else if (query.startsWith("?path=")) {
        query = "?path=" + pick(HOSTILE_PATHS);
      } else {
        path = path.replace(c, pick(HOSTILE_NAMES)).replace(target.network(), pick(HOSTILE_NAMES));
      }
    }
    if (json != null) {
      body = json.toString().getBytes(StandardCharsets.UTF_8);
    } else if (method.equals("PUT")) {
      body = tar();
      if (how == 5) {
        flip(body, 1 + random.nextInt(16));
      } else if (how == 6) {
        body = java.util.Arrays.copyOf(body, random.nextInt(body.length));
      }
    } else {
      body = new byte[0];
    }
    if (how == 5 && json != null) {
      body = java.util.Arrays.copyOf(body, random.nextInt(body.length + 1));
    }
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(path).append(query).append(" HTTP/1.1\r\n");
    head.append("Host: docker\r\nUser-Agent: jstack-fuzz\r\n");
    if (type != null) {
      head.append("Content-Type: ").append(type).append("\r\n");
    }
    long length = body.length;
    if (how == 7) {
      // A length that lies.
      length =
          random.nextBoolean()
              ? Math.max(0, body.length - 1 - random.nextInt(body.length + 1))
              : body.length + 1 + random.nextInt(100);
    }
    boolean chunked = how == 8 && body.length > 0;
    if (chunked) {
      head.append("Transfer-Encoding: chunked\r\n");
    } else if (body.length > 0 || method.equals("PUT") || method.equals("POST")) {
      head.append("Content-Length: ").append(length).append("\r\n");
    }
    if (how == 9) {
      head.append(
              pick(
                  List.of(
                      "X-Junk: \u0001\u0002",
                      "Bad Header\r\n",
                      ": empty",
                      "X-Long: " + "h".repeat(200_000),
                      "Content-Length: 5",
                      "Expect: 100-continue",
                      "Transfer-Encoding: gzip, chunked")))
          .append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (chunked) {
      int at = 0;
      while (at < body.length) {
        int n = 1 + random.nextInt(Math.max(1, body.length - at));
        String size = random.nextInt(10) == 0 ? "zz" : Integer.toHexString(n);
        out.writeBytes((size + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, at, n);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        at += n;
      }
      out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else {
      out.writeBytes(body);
    }
    byte[] all = out.toByteArray();
    if (how == 10) {
      flip(all, 1 + random.nextInt(8));
    } else if (how == 11) {
      // At least a byte: a connection that sends nothing has sent no request to answer.
      all = java.util.Arrays.copyOf(all, 1 + random.nextInt(all.length - 1));
    }
    return all;
  }

  private void mutateJson(JsonNode root, int how) {
    List<Map.Entry<ObjectNode, String>> fields = new ArrayList<>();
    collect(root, fields);
    if (fields.isEmpty()) {
      return;
    }
    Map.Entry<ObjectNode, String> f = fields.get(random.nextInt(fields.size()));
    switch (how) {
      case 0 -> f.getKey().remove(f.getValue());
      case 1, 2 -> f.getKey().set(f.getValue(), strange());
      default -> f.getKey().put(f.getValue(), "v".repeat(1 + random.nextInt(200_000)));
    }
  }

  /** A value of some other type, or of the same type but out of every range. */
  private JsonNode strange() {
    JsonNodeFactory n = JsonNodeFactory.instance;
    return switch (random.nextInt(14)) {
      case 0 -> n.numberNode(random.nextLong());
      case 1 -> n.numberNode(new java.math.BigInteger("9".repeat(40)));
      case 2 -> n.numberNode(-1);
      case 3 -> n.numberNode(1e308 * (random.nextBoolean() ? 1 : -1));
      case 4 -> n.textNode(pick(HOSTILE_NAMES));
      case 5 -> n.textNode(pick(HOSTILE_PATHS));
      case 6 -> n.nullNode();
      case 7 -> n.booleanNode(random.nextBoolean());
      case 8 -> n.arrayNode().add(1).add("two").addNull();
      case 9 -> n.objectNode().put("x", 1);
      case 10 -> {
        ArrayNode deep = n.arrayNode();
        ArrayNode at = deep;
        for (int d = 0; d < 900; d++) {
          at = at.addArray();
        }
        yield deep;
      }
      case 11 -> n.textNode("\u0000\u0001\n\r\u001b[31m");
      case 12 -> n.numberNode(0.5);
      default -> n.textNode("");
    };
  }

  private static void collect(JsonNode node, List<Map.Entry<ObjectNode, String>> out) {
    if (node instanceof ObjectNode o) {
      o.fieldNames().forEachRemaining(name -> out.add(Map.entry(o, name)));
    }
    node.forEach(child -> collect(child, out));
  }

  private void flip(byte[] bytes, int times) {
    for (int t = 0; t < times && bytes.length > 0; t++) {
      bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
    }
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }
}
