package io.jstack.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepoTagTest {
  static final String DIGEST =
      "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "nginx, nginx, latest",
        "nginx:1.27, nginx, 1.27",
        "team/app:2, team/app, 2",
        "host:5000/app, host:5000/app, latest",
        "localhost/app:v1, localhost/app, v1",
        "docker.io/library/nginx:1, nginx, 1",
        "docker.io/team/app, team/app, latest",
      })
  void of_aTag_goesBesideTheShortName(String reference, String repository, String tag) {
    assertThat(RepoTag.of(reference)).isEqualTo(new RepoTag(repository, tag));
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "app@" + DIGEST + ", app@" + DIGEST,
        "host:5000/app:1@" + DIGEST + ", host:5000/app:1@" + DIGEST,
        "docker.io/library/app@" + DIGEST + ", app@" + DIGEST,
      })
  void of_aDigest_goesWhole_withoutATag(String reference, String repository) {
    assertThat(RepoTag.of(reference)).isEqualTo(new RepoTag(repository, null));
  }

  @ParameterizedTest
  @CsvSource({"Upper:tag", "app:bad!tag", "app@sha512:0123", "../../etc"})
  void of_whatTheParserRefuses_goesWhole_forTheEngineToJudge(String reference) {
    assertThat(RepoTag.of(reference)).isEqualTo(new RepoTag(reference, null));
  }
}
