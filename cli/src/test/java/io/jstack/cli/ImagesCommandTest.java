package io.jstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagesCommandTest {
  @ParameterizedTest
  @CsvSource({
    "nginx, nginx, latest",
    "nginx:1.27, nginx, 1.27",
    "jstack-examples/busybox:latest, jstack-examples/busybox, latest",
    "host:5000/app, host:5000/app, latest",
    "localhost:5000/team/app:v1, localhost:5000/team/app, v1",
    "docker.io/library/nginx:1, nginx, 1",
    "app@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, app, <none>",
    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, sha256,"
        + " 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "Not/Valid, Not/Valid, <none>",
  })
  void repositoryAndTag_asDockerShowsThem(String image, String repository, String tag) {
    assertThat(ImagesCommand.repositoryAndTag(image)).containsExactly(repository, tag);
  }
}
