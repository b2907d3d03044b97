package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TcpListenTest {

  @Test
  void plainHttp_onlyOnLoopback() {
    assertThat(TcpListen.fromFlags(null, "127.0.0.1:2375", null, null, null).describe())
        .isEqualTo("tcp://127.0.0.1:2375 (plain HTTP, loopback only)");
    assertThat(TcpListen.fromFlags(null, "[::1]:2375", null, null, null).describe())
        .isEqualTo("tcp://[0:0:0:0:0:0:0:1]:2375 (plain HTTP, loopback only)");
    assertThatThrownBy(() -> TcpListen.fromFlags(null, "0.0.0.0:2375", null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "--insecure-listen 0.0.0.0:2375: plain HTTP is served on a loopback address only");
    assertThat(TcpListen.fromFlags(null, null, null, null, null)).isNull();
  }

  @Test
  void tls_needsItsThreeFiles_takenFromTheCallersDirectory() {
    TcpListen tls = TcpListen.fromFlags("0.0.0.0:2376", null, "ca.pem", "c.pem", "k.pem");
    assertThat(tls.tls().ca()).isEqualTo(Path.of("ca.pem").toAbsolutePath());
    assertThat(tls.describe()).isEqualTo("tcp://0.0.0.0:2376 (mutual TLS)");
    // What the engine process is given reads back the same.
    List<String> flags = tls.flags();
    assertThat(TcpListen.fromFlags(flags.get(1), null, flags.get(3), flags.get(5), flags.get(7)))
        .isEqualTo(tls);
    assertThatThrownBy(() -> TcpListen.fromFlags("0.0.0.0:2376", null, null, "c.pem", null))
        .hasMessage(
            "--tls-listen needs --tlscacert, --tlscert, --tlskey (missing: --tlscacert, --tlskey);"
                + " make a set with: jstack engine certs DIR");
    assertThatThrownBy(() -> TcpListen.fromFlags(null, null, null, "c.pem", "k.pem"))
        .hasMessage("--tlscert, --tlskey go with --tls-listen ADDR:PORT, which is not given");
    assertThatThrownBy(() -> TcpListen.fromFlags("0.0.0.0:2376", "127.0.0.1:2375", "a", "b", "c"))
        .hasMessageContaining("choose one");
    assertThatThrownBy(() -> TcpListen.fromFlags("2376", null, "a", "b", "c"))
        .hasMessage(
            "--tls-listen 2376: expected ADDRESS:PORT, e.g. 0.0.0.0:2376 or 127.0.0.1:2376");
  }

  @Test
  void gate_answersPlainHttpWith400_andLogsIt() throws Exception {
    List<String> log = new ArrayList<>();
    EmbeddedChannel ch =
        new EmbeddedChannel(
            TlsGate.of(
                SslContextBuilder.forClient().build(), // any context: plain HTTP never reaches it
                log::add));
    ch.writeInbound(
        Unpooled.copiedBuffer("GET /_ping HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
    ByteBuf answer = ch.readOutbound();
    assertThat(answer.toString(StandardCharsets.US_ASCII))
        .startsWith("HTTP/1.0 400 Bad Request\r\n")
        .endsWith("\r\n\r\nClient sent an HTTP request to an HTTPS server.\n");
    answer.release();
    assertThat(ch.isOpen()).isFalse();
    assertThat(log).singleElement().asString().startsWith("refused plain HTTP from");
  }

  @Test
  void reasons_inPlainWords() {
    assertThat(
            TlsGate.reason(
                new javax.net.ssl.SSLException(
                    "PKIX",
                    new CertPathValidatorException(
                        "validity check failed", new CertificateExpiredException("NotAfter: x")))))
        .isEqualTo("its certificate has expired (NotAfter: x)");
    assertThat(TlsGate.reason(new SSLHandshakeException("Empty client certificate chain")))
        .isEqualTo("it sent no client certificate");
    assertThat(
            TlsGate.reason(
                new SSLHandshakeException("Path does not chain with any of the trust anchors")))
        .startsWith("its certificate is not from this engine's CA");
  }
}
