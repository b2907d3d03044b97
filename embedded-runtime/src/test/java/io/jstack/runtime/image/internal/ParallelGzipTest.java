package io.jstack.runtime.image.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelGzipTest {
  private static byte[] input(int size) {
    // Half random, half repetitive: compressible, and not trivially so.
    byte[] b = new byte[size];
    Random r = new Random(size);
    for (int i = 0; i < size; i++) {
      b[i] = (i / 4096) % 2 == 0 ? (byte) r.nextInt() : (byte) ('a' + i % 7);
    }
    return b;
  }

  private static byte[] compressed(byte[] in, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ParallelGzip gz = new ParallelGzip(out);
    for (int off = 0; off < in.length; off += chunk) {
      gz.write(in, off, Math.min(chunk, in.length - off));
    }
    gz.finish();
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(
      ints = {0, 1, ParallelGzip.BLOCK - 1, ParallelGzip.BLOCK, 3 * ParallelGzip.BLOCK + 5})
  void readsBackAsOneGzipStream_andTheSameInputGivesTheSameBytes(int size) throws IOException {
    byte[] in = input(size);
    byte[] gz = compressed(in, 8191);
    try (GZIPInputStream back = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertThat(back.readAllBytes()).isEqualTo(in);
    }
    assertThat(compressed(in, 100_000)).as("written in other pieces").isEqualTo(gz);
    if (size > ParallelGzip.BLOCK) {
      assertThat(gz.length).as("compressed").isLessThan(size);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {3 * ParallelGzip.BLOCK + 5})
  void aBlockPerMember(int size) throws IOException {
    byte[] gz = compressed(input(size), 65536);
    int members = 0;
    for (int i = 0; i + 2 < gz.length; i++) {
      if ((gz[i] & 0xff) == 0x1f && (gz[i + 1] & 0xff) == 0x8b && gz[i + 2] == 8) {
        members++;
      }
    }
    // Every block starts a member (a header's magic may also occur by chance inside one).
    assertThat(members).isGreaterThanOrEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(ints = {10})
  void nothingMayBeWrittenAfterFinish(int size) throws IOException {
    ParallelGzip gz = new ParallelGzip(new ByteArrayOutputStream());
    gz.write(input(size));
    gz.finish();
    gz.close();
    assertThatThrownBy(() -> gz.write(1)).isInstanceOf(IOException.class);
  }
}
