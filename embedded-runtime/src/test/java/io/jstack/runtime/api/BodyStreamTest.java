package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BodyStreamTest {
  @Test
  void readsWhatArrives_inOrder_untilTheEnd() throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel();
    BodyStream body = new BodyStream(ch);
    CompletableFuture<byte[]> read =
        CompletableFuture.supplyAsync(
            () -> {
              try (InputStream in = body) {
                return in.readAllBytes();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    body.offer(Unpooled.wrappedBuffer("hello ".getBytes()));
    body.offer(Unpooled.wrappedBuffer("world".getBytes()));
    body.end();
    assertThat(new String(read.get(5, TimeUnit.SECONDS))).isEqualTo("hello world");
  }

  @Test
  void stopsReadingTheConnection_whileTooMuchWaits_andReadsAgainOnceDrained() throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel();
    BodyStream body = new BodyStream(ch);
    byte[] mib = new byte[1 << 20];
    for (int i = 0; i < 5; i++) {
      body.offer(Unpooled.wrappedBuffer(mib));
    }
    assertThat(ch.config().isAutoRead()).isFalse();
    byte[] sink = new byte[1 << 16];
    long taken = 0;
    while (taken < (4L << 20) + 1) {
      taken += body.read(sink, 0, sink.length);
    }
    assertThat(ch.config().isAutoRead()).isTrue();
    body.end();
    while (body.read(sink, 0, sink.length) > 0) {
      taken += 0;
    }
    assertThat(body.read()).isEqualTo(-1);
  }

  @Test
  void closedEarly_releasesWhatWaits_andWhatComesAfter() {
    EmbeddedChannel ch = new EmbeddedChannel();
    BodyStream body = new BodyStream(ch);
    ByteBuf waiting = Unpooled.buffer().writeBytes(new byte[8 << 20]);
    body.offer(waiting);
    assertThat(ch.config().isAutoRead()).isFalse();
    body.close();
    assertThat(waiting.refCnt()).isZero();
    assertThat(ch.config().isAutoRead()).isTrue();
    ByteBuf late = Unpooled.buffer().writeBytes(new byte[10]);
    body.offer(late);
    assertThat(late.refCnt()).isZero();
  }
}
