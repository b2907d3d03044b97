package io.jstack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error names file:line:col and the YAML path, then says what failed. */
class LoadErrorsTest {
  @TempDir Path dir;

  private ComposeException error(String yaml) throws IOException {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, yaml);
    try {
      ComposeLoader.load(ProjectOptions.of(List.of(Path.of("compose.yaml")), Map.of(), dir));
    } catch (ComposeException e) {
      return e;
    }
    throw new AssertionError("loaded without error:\n" + yaml);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          unknown key      | services:\\n  web:\\n    imagee: nginx | compose.yaml:3:5: services.web: additional property "imagee" is not allowed (did you mean "image"?)
          wrong type       | services:\\n  web:\\n    image: nginx\\n    privileged: maybe | compose.yaml:4:17: services.web.privileged: must be a boolean, not "maybe"
          not a list       | services:\\n  web:\\n    image: nginx\\n    cap_add: ALL | compose.yaml:4:14: services.web.cap_add: must be a list, not a string
          duplicate key    | services:\\n  web:\\n    image: a\\n    image: b | compose.yaml:4:5: mapping key "image" already defined at line 3: remove one of them
          bad yaml         | services:\\n  web: [a | compose.yaml:2:10: invalid YAML: expected ',' or ']', but got <stream end> (while parsing a flow sequence)
          undefined net    | services:\\n  web:\\n    image: a\\n    networks: [back] | compose.yaml:4:16: services.web.networks.back: service "web" refers to undefined network back: define it under the top-level networks:
          undefined dep    | services:\\n  web:\\n    image: a\\n    depends_on: [db] | compose.yaml:4:18: services.web.depends_on.db: service "web" depends on undefined service "db": define it, or mark the dependency required: false
          no image         | services:\\n  web:\\n    command: echo | compose.yaml:2:3: services.web: service "web" has neither an image nor a build context specified: add image: or build:
          required var     | services:\\n  web:\\n    image: ${TAG:?set TAG to the release} | compose.yaml:3:12: services.web.image: required variable TAG is missing a value: set TAG to the release
          unknown tag      | services:\\n  web: !bogus {} | compose.yaml:2:8: unsupported YAML tag !bogus (Compose knows !reset and !override)
          bad project name | name: My App\\nservices:\\n  web:\\n    image: a | compose.yaml:1:1: name: invalid project name "My App": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number (try "myapp")
          replicas         | services:\\n  web:\\n    image: a\\n    container_name: web-one\\n    scale: 2 | compose.yaml:4:5: services.web.container_name: service "web" has container_name set and 2 replicas: a container name must be unique, so remove container_name or use one replica
          service name     | services:\\n  ../x:\\n    image: a | compose.yaml:2:3: services["../x"]: invalid service name "../x": only [a-zA-Z0-9._-] are allowed (the Compose specification's rule)
          control in name  | services:\\n  "a\\x01b":\\n    image: a | compose.yaml:2:3: services["a\\x01b"]: invalid service name "a\\x01b": only [a-zA-Z0-9._-] are allowed (the Compose specification's rule)
          container name   | services:\\n  web:\\n    image: a\\n    container_name: ../../etc | compose.yaml:4:5: services.web.container_name: invalid container_name "../../etc": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at least two of them (Docker's rule for container names)
          short container  | services:\\n  web:\\n    image: a\\n    container_name: w | compose.yaml:4:5: services.web.container_name: invalid container_name "w": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at least two of them (Docker's rule for container names)
          cycle            | services:\\n  a:\\n    image: x\\n    depends_on: [b]\\n  b:\\n    image: x\\n    depends_on: [a] | compose.yaml:4:5: services.a.depends_on: dependency cycle detected: a -> b -> a: remove one of these depends_on entries
          """)
  void errorsNameThePlace(String what, String yaml, String expected) throws IOException {
    ComposeException e = error(yaml.replace("\\n", "\n"));
    assertThat(e.getMessage()).isEqualTo(expected);
    assertThat(e.getMessage()).doesNotContain("\n");
  }

  @Test
  void missingEnvFile_namesTheFileAndTheFix() throws IOException {
    ComposeException e = error("services:\n  web:\n    image: a\n    env_file: [missing.env]\n");
    assertThat(e.getMessage())
        .startsWith("compose.yaml:4:16: services.web.env_file[0]: env file ")
        .endsWith("missing.env not found: create it or mark it required: false");
  }

  @Test
  @Timeout(10)
  void aliasBomb_isRefusedQuickly() throws IOException {
    StringBuilder yaml = new StringBuilder("x-a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; c++) {
      yaml.append("x-").append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        yaml.append(i == 0 ? "" : ",").append('*').append(prev);
      }
      yaml.append("]\n");
      prev = c;
    }
    yaml.append("services:\n  web:\n    image: a\n");
    ComposeException e = error(yaml.toString());
    assertThat(e.getMessage()).contains("document too large").contains("alias bomb");
  }

  @Test
  @Timeout(10)
  void deepNesting_isRefusedQuickly() throws IOException {
    String yaml = "services: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
    ComposeException e = error(yaml);
    assertThat(e.getMessage())
        .startsWith("compose.yaml:1:")
        .contains("nested deeper than 256 levels");
  }

  @Test
  void errorCarriesStructuredFields() throws IOException {
    ComposeException e = error("services:\n  web:\n    image: a\n    privileged: maybe\n");
    assertThat(e.location()).contains(new SourceLocation("compose.yaml", 4, 17));
    assertThat(e.yamlPath()).isEqualTo("services.web.privileged");
    assertThat(e.problem()).isEqualTo("must be a boolean, not \"maybe\"");
  }

  @Test
  void includeCycle_isRefused() throws IOException {
    Files.writeString(dir.resolve("other.yaml"), "include: [compose.yaml]\n");
    ComposeException e = error("include: [other.yaml]\nservices:\n  web:\n    image: a\n");
    assertThat(e.getMessage()).startsWith("include cycle detected: ");
  }
}
