package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.image.LocalRegistry;
import io.jstack.engine.testing.image.TestImages;
import io.jstack.runtime.DataRoot;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token auth as Docker Hub does it, for real: docker-registry with {@code auth: token}, and a token
 * service here that wants basic credentials and signs JWTs with a key the registry trusts. jstack
 * answers the registry's Bearer challenge with the credentials of a Docker config file.
 */
class TokenAuthIT {
  static final String USER = "tester";
  static final String PASSWORD = "s3cret";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);
  static HttpServer tokens;
  static LocalRegistry registry;
  static final AtomicInteger issued = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    Path keystore = dir.resolve("signer.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-alias",
                "signer",
                "-dname",
                "CN=jstack-test-token-signer",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor()).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(keystore.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("signer", "changeit".toCharArray());
    X509Certificate cert = (X509Certificate) ks.getCertificate("signer");
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(
        bundle,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n");

    tokens = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    tokens.createContext(
        "/token",
        ex -> {
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          String expected =
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
          if (!expected.equals(auth)) {
            ex.sendResponseHeaders(401, -1);
            ex.close();
            return;
          }
          Map<String, String> q = new java.util.HashMap<>();
          for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
            int eq = kv.indexOf('=');
            q.put(
                kv.substring(0, eq),
                URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
          }
          byte[] body;
          try {
            body =
                ("{\"token\":\""
                        + jwt(key, cert, q.get("service"), q.getOrDefault("scope", ""))
                        + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
          } catch (Exception e) {
            body = new byte[0];
          }
          issued.incrementAndGet();
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    tokens.start();
    registry =
        LocalRegistry.start(
            "auth:\n  token:\n    realm: http://127.0.0.1:"
                + tokens.getAddress().getPort()
                + "/token\n"
                + "    service: jstack-test\n    issuer: jstack-test-issuer\n    rootcertbundle: "
                + bundle
                + "\n");
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.stop(0);
    }
  }

  /** A registry token: RS256, the signer's certificate in x5c, granting what {@code scope} asks. */
  static String jwt(PrivateKey key, X509Certificate cert, String service, String scope)
      throws Exception {
    ObjectNode header = JSON.createObjectNode();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    header.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
    ObjectNode claims = JSON.createObjectNode();
    long now = Instant.now().getEpochSecond();
    claims.put("iss", "jstack-test-issuer");
    claims.put("sub", USER);
    claims.put("aud", service);
    claims.put("exp", now + 300);
    claims.put("nbf", now - 10);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    var access = claims.putArray("access");
    for (String s : scope.split(" ")) {
      String[] parts = s.split(":");
      if (parts.length == 3) {
        ObjectNode a = access.addObject();
        a.put("type", parts[0]);
        a.put("name", parts[1]);
        var actions = a.putArray("actions");
        for (String act : parts[2].split(",")) {
          actions.add(act);
        }
      }
    }
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        b64.encodeToString(JSON.writeValueAsBytes(header))
            + "."
            + b64.encodeToString(JSON.writeValueAsBytes(claims));
    Signature sig = Signature.getInstance("SHA256withRSA");
    sig.initSign(key);
    sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + b64.encodeToString(sig.sign());
  }

  @Test
  void bearerChallengeWithConfigCredentials_pullsAndPushes() throws Exception {
    String repo = "secure/busybox-" + UUID.randomUUID().toString().substring(0, 8);
    TestImages.Built built = inTheRegistry(repo);

    Path config = dir.resolve("docker-config.json");
    Files.writeString(
        config,
        "{\"auths\":{\""
            + registry.host
            + "\":{\"auth\":\""
            + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8))
            + "\"}}}");
    RegistryClient.Options o = RegistryClient.Options.defaults();
    o = o.withDockerConfig(config);
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("root-" + repo.hashCode())));
    RegistryClient client = new RegistryClient(store, o, p -> {});
    int before = issued.get();
    String digest = client.pull(ImageReference.parse(registry.host + "/" + repo + ":v1"));
    assertThat(digest).isEqualTo(built.manifestDigest());
    assertThat(issued.get()).as("tokens issued for the pull").isGreaterThan(before);

    String fresh =
        registry.host + "/secure/pushed-" + UUID.randomUUID().toString().substring(0, 8) + ":v1";
    assertThat(
            client.push(
                ImageReference.parse(registry.host + "/" + repo + ":v1"),
                ImageReference.parse(fresh)))
        .isEqualTo(digest);
    assertThat(
            skopeo(
                "inspect",
                "--tls-verify=false",
                "--creds",
                USER + ":" + PASSWORD,
                "docker://" + fresh))
        .contains(digest);
  }

  @Test
  void withoutCredentials_theErrorSaysHowToLogIn() {
    RegistryClient.Options o = RegistryClient.Options.defaults();
    o = o.withDockerConfig(dir.resolve("no-such-config.json"));
    RegistryClient client =
        new RegistryClient(ImageStore.open(new DataRoot(dir.resolve("root-anon"))), o, p -> {});
    assertThatThrownBy(
            () -> client.pull(ImageReference.parse(registry.host + "/secure/anything:v1")))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("refused access to secure/anything")
        .hasMessageContaining("~/.docker/config.json");
  }

  /**
   * A client's own credentials, with no Docker config on the engine's host: pull, and the check a
   * login makes; wrong ones are refused in one line that names the user, never the password.
   */
  @Test
  void clientCredentials_withoutAConfig_pullAndLogIn_andWrongOnesAreRefused() throws Exception {
    String repo = "secure/given-" + UUID.randomUUID().toString().substring(0, 8);
    TestImages.Built built = inTheRegistry(repo);
    RegistryClient.Options none =
        RegistryClient.Options.defaults().withDockerConfig(dir.resolve("no-such-config.json"));
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("root-given")));
    RegistryClient given =
        new RegistryClient(
            store,
            none.withCredentials(new RegistryCredentials(USER, PASSWORD, null, registry.host)),
            p -> {});
    given.login(registry.host);
    assertThat(given.pull(ImageReference.parse(registry.host + "/" + repo + ":v1")))
        .isEqualTo(built.manifestDigest());

    RegistryClient wrong =
        new RegistryClient(
            store,
            none.withCredentials(new RegistryCredentials(USER, "not-it", null, registry.host)),
            p -> {});
    assertThatThrownBy(() -> wrong.login(registry.host))
        .isInstanceOf(EngineException.Unauthorized.class)
        .hasMessageStartingWith(
            "unauthorized: the registry " + registry.host + " refused the credentials of tester")
        .hasMessageNotContaining("not-it");
    assertThatThrownBy(() -> wrong.pull(ImageReference.parse(registry.host + "/" + repo + ":v1")))
        .isInstanceOf(EngineException.Unauthorized.class);
  }

  /**
   * The docker CLI against the engine: {@code docker login} checks with the registry through the
   * engine, and then pull and push carry the CLI's credentials ({@code X-Registry-Auth}).
   */
  @Test
  void dockerLoginPullAndPush_throughTheEngine() throws Exception {
    String repo = "secure/cli-" + UUID.randomUUID().toString().substring(0, 8);
    inTheRegistry(repo);
    Path data = dir.resolve("engine-" + repo.hashCode());
    io.jstack.runtime.engine.EmbeddedEngine engine =
        new io.jstack.runtime.engine.EmbeddedEngine(
            new DataRoot(data), io.jstack.runtime.container.RuntimeTools.detect());
    io.jstack.runtime.api.EngineServer server =
        io.jstack.runtime.api.EngineServer.start(
            engine, data.resolve("engine.sock"), null, l -> {});
    try {
      Map<String, String> env =
          Map.of(
              "DOCKER_HOST",
              "unix://" + data.resolve("engine.sock"),
              "DOCKER_CONFIG",
              Files.createDirectories(data.resolve("docker-config")).toString());
      Run refused = docker(env, "not-it", "login", "-u", USER, "--password-stdin", registry.host);
      assertThat(refused.code()).isNotZero();
      assertThat(refused.out())
          .contains("unauthorized: the registry " + registry.host + " refused");
      Run login = docker(env, PASSWORD, "login", "-u", USER, "--password-stdin", registry.host);
      assertThat(login.code()).as(login.out()).isZero();
      assertThat(login.out()).contains("Login Succeeded");

      String source = registry.host + "/" + repo + ":v1";
      String target =
          registry.host
              + "/secure/cli-pushed-"
              + UUID.randomUUID().toString().substring(0, 8)
              + ":v2";
      Run pull = docker(env, null, "pull", source);
      assertThat(pull.code()).as(pull.out()).isZero();
      assertThat(docker(env, null, "tag", source, target).code()).isZero();
      Run push = docker(env, null, "push", target);
      assertThat(push.code()).as(push.out()).isZero();
      assertThat(push.out()).contains("v2: digest: sha256:");
      assertThat(
              skopeo(
                  "inspect",
                  "--tls-verify=false",
                  "--creds",
                  USER + ":" + PASSWORD,
                  "docker://" + target))
          .contains("\"Name\"");
    } finally {
      server.close();
      engine.stopSupervising();
      io.jstack.runtime.image.internal.LayerUnpacker.removeTree(data);
    }
  }

  private record Run(int code, String out) {}

  /** {@code docker ARGS} with {@code env}, {@code stdin} (or none) as its input. */
  private static Run docker(Map<String, String> env, String stdin, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }

  /** A test image put into the registry as {@code repo:v1}, with the test user's credentials. */
  private static TestImages.Built inTheRegistry(String repo) throws Exception {
    Path layout = dir.resolve("oci-" + repo.hashCode());
    TestImages.Built built = TestImages.ociLayout(layout, "v1", 0);
    skopeo(
        "copy",
        "--dest-tls-verify=false",
        "--dest-creds",
        USER + ":" + PASSWORD,
        "oci:" + layout + ":v1",
        "docker://" + registry.host + "/" + repo + ":v1");
    return built;
  }

  private static String skopeo(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return out;
  }
}
