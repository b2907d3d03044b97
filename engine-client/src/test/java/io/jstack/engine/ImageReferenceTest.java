package io.jstack.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
  static final String DIGEST = "sha256:" + "a".repeat(64);
  static final String EXPECTED = "(expected [HOST[:PORT]/]NAME[:TAG][@sha256:DIGEST])";

  /** As embedded-runtime's {@code RegistryClientTest.references_normaliseAsDockerDoes}. */
  @Test
  void references_normaliseAsDockerDoes() {
    assertThat(ImageReference.parse("busybox")).hasToString("docker.io/library/busybox:latest");
    assertThat(ImageReference.parse("localhost:5000/a/b:1").apiHost()).isEqualTo("localhost:5000");
    assertThat(ImageReference.parse("team/app@sha256:" + "a".repeat(64)).manifestReference())
        .isEqualTo("sha256:" + "a".repeat(64));
    assertThatThrownBy(() -> ImageReference.parse("Team/App"))
        .hasMessageContaining("invalid image reference 'Team/App'")
        .hasMessageContaining("expected [HOST[:PORT]/]NAME[:TAG][@sha256:DIGEST]");
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "busybox, docker.io, library/busybox, latest, null",
        "busybox:1.36, docker.io, library/busybox, 1.36, null",
        "library/busybox, docker.io, library/busybox, latest, null",
        "docker.io/library/busybox:1, docker.io, library/busybox, 1, null",
        "docker.io/busybox, docker.io, library/busybox, latest, null",
        "team/app, docker.io, team/app, latest, null",
        "team/sub/app:v_1.0-rc, docker.io, team/sub/app, v_1.0-rc, null",
        "localhost/app, localhost, app, latest, null",
        "localhost:5000/a/b:1, localhost:5000, a/b, 1, null",
        "127.0.0.1:5000/app, 127.0.0.1:5000, app, latest, null",
        "registry.example.com/team/app:2, registry.example.com, team/app, 2, null",
        "ghcr.io/a__b/c--d.e_f, ghcr.io, a__b/c--d.e_f, latest, null",
        "host:5000/app, host:5000, app, latest, null",
        "index.docker.io/library/busybox, index.docker.io, library/busybox, latest, null",
        "sha256:0123456789abcdef, docker.io, library/sha256, 0123456789abcdef, null",
      })
  void parse_splitsAndNormalises(
      String text, String registry, String repository, String tag, String digest) {
    assertThat(ImageReference.parse(text))
        .isEqualTo(new ImageReference(registry, repository, tag, digest));
  }

  @Test
  void parse_aDigest_hasNoTagUnlessOneIsGiven() {
    assertThat(ImageReference.parse("app@" + DIGEST))
        .isEqualTo(new ImageReference("docker.io", "library/app", null, DIGEST));
    assertThat(ImageReference.parse("host:5000/app:1@" + DIGEST))
        .isEqualTo(new ImageReference("host:5000", "app", "1", DIGEST));
  }

  @Test
  void forms_fullFamiliarAndName() {
    ImageReference hub = ImageReference.parse("busybox:1.36");
    assertThat(hub).hasToString("docker.io/library/busybox:1.36");
    assertThat(hub.familiar()).isEqualTo("busybox:1.36");
    assertThat(hub.familiarName()).isEqualTo("busybox");
    assertThat(hub.apiHost()).isEqualTo("registry-1.docker.io");
    assertThat(hub.manifestReference()).isEqualTo("1.36");

    ImageReference team = ImageReference.parse("docker.io/team/app");
    assertThat(team.familiar()).isEqualTo("team/app:latest");
    assertThat(team.familiarName()).isEqualTo("team/app");

    ImageReference local = ImageReference.parse("localhost:5000/a/b:1@" + DIGEST);
    assertThat(local).hasToString("localhost:5000/a/b:1@" + DIGEST);
    assertThat(local.familiar()).isEqualTo("localhost:5000/a/b:1@" + DIGEST);
    assertThat(local.familiarName()).isEqualTo("localhost:5000/a/b");
    assertThat(local.manifestReference()).isEqualTo(DIGEST);

    assertThat(ImageReference.parse("app@" + DIGEST).familiar()).isEqualTo("app@" + DIGEST);
  }

  @Test
  void withTag_replacesTheTagAndDropsTheDigest() {
    assertThat(ImageReference.parse("host:5000/app:1@" + DIGEST).withTag("2"))
        .isEqualTo(new ImageReference("host:5000", "app", "2", null))
        .hasToString("host:5000/app:2");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Team/App | the repository 'Team/App' must be lower-case path components",
        "Upper | the repository 'library/Upper' must be lower-case path components",
        ".. | the repository 'library/..' must be lower-case path components",
        "../../etc | the repository '../etc' must be lower-case path components",
        "a//b | the repository 'a//b' must be lower-case path components",
        "app- | the repository 'library/app-' must be lower-case path components",
        "app:bad!tag | the tag 'bad!tag' is not valid",
        "app:-x | the tag '-x' is not valid",
        "app: | the tag '' is not valid",
        "app@sha256:abc | the digest must be sha256: and 64 hex digits",
        "app@md5:0123 | the digest must be sha256: and 64 hex digits",
      })
  void parse_refuses_sayingWhatIsWrong_andTheExpectedForm(String text, String why) {
    assertThatThrownBy(() -> ImageReference.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid image reference '" + text + "': " + why + " " + EXPECTED);
  }

  @Test
  void parse_refusesAnEmptyReference() {
    assertThatThrownBy(() -> ImageReference.parse(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid image reference '': the repository 'library/' must be lower-case path"
                + " components "
                + EXPECTED);
  }

  @Test
  void parse_refusesATagOfMoreThan128Characters() {
    assertThat(ImageReference.parse("app:" + "t".repeat(128)).tag()).hasSize(128);
    assertThatThrownBy(() -> ImageReference.parse("app:" + "t".repeat(129)))
        .hasMessageContaining("the tag '" + "t".repeat(129) + "' is not valid");
  }

  @Test
  void parse_refusesANameOfMoreThan255Characters_registryIncluded_tagAndDigestNot() {
    String name = "registry.example.com/" + "a".repeat(255 - "registry.example.com/".length());
    assertThat(ImageReference.parse(name + ":" + "t".repeat(100) + "@" + DIGEST).repository())
        .hasSize(255 - "registry.example.com/".length());
    assertThat(ImageReference.parse("a".repeat(255)).repository()).hasSize(255 + 8);
    assertThatThrownBy(() -> ImageReference.parse(name + "a:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid image reference '"
                + name
                + "a:1': repository name must not be more than 255 characters "
                + EXPECTED);
    assertThatThrownBy(() -> ImageReference.parse("x".repeat(300)))
        .hasMessageContaining("repository name must not be more than 255 characters");
  }

  @Test
  void parse_escapesControlCharacters_inEveryPartOfTheMessage() {
    assertThatThrownBy(() -> ImageReference.parse("a\u0001b"))
        .hasMessage(
            "invalid image reference 'a\\x01b': the repository 'library/a\\x01b' must be"
                + " lower-case path components "
                + EXPECTED)
        .hasMessageNotContaining("\u0001");
    assertThatThrownBy(() -> ImageReference.parse("app:t\ng"))
        .hasMessage(
            "invalid image reference 'app:t\\x0ag': the tag 't\\x0ag' is not valid " + EXPECTED);
    assertThatThrownBy(() -> ImageReference.parse("app@\u001b[31m"))
        .hasMessageStartingWith("invalid image reference 'app@\\x1b[31m'")
        .hasMessageNotContaining("\u001b");
  }

  @Test
  void registryOf_credentialsServerAddresses() {
    assertThat(ImageReference.registryOf("https://index.docker.io/v1/")).isEqualTo("docker.io");
    assertThat(ImageReference.registryOf("registry-1.docker.io")).isEqualTo("docker.io");
    assertThat(ImageReference.registryOf("http://registry.example:5000/v2/"))
        .isEqualTo("registry.example:5000");
    assertThat(ImageReference.registryOf("127.0.0.1:5000")).isEqualTo("127.0.0.1:5000");
  }
}
