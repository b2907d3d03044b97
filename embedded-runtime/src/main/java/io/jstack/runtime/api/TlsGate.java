package io.jstack.runtime.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The first handler of a TLS listener's connection: a client that speaks TLS gets the TLS handler
 * in its place; one that sends plain HTTP gets a 400 saying so (as Go's servers, and so dockerd,
 * answer it) and the connection ends. The engine's log says who connected with which certificate,
 * and who was refused and why.
 */
final class TlsGate extends ByteToMessageDecoder {
  static final String NAME = "tls";

  /** A TLS record's header: content type, version, length. */
  private static final int RECORD_HEADER = 5;

  private static final byte[] PLAIN_HTTP_REFUSED =
      ("HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
              + "Connection: close\r\n\r\n"
              + "Client sent an HTTP request to an HTTPS server.\n")
          .getBytes(StandardCharsets.US_ASCII);

  private final SslContext context;
  private final Consumer<String> log;
  private final Set<String> seen;

  TlsGate(SslContext context, Consumer<String> log, Set<String> seen) {
    this.context = context;
    this.log = log;
    this.seen = seen;
  }

  /** A gate whose log lines of clients already seen are said once. */
  static TlsGate of(SslContext context, Consumer<String> log) {
    return new TlsGate(context, log, ConcurrentHashMap.newKeySet());
  }

  /** A gate for one more connection, sharing what the listener's log has said. */
  TlsGate next() {
    return new TlsGate(context, log, seen);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < RECORD_HEADER) {
      return;
    }
    if (SslHandler.isEncrypted(in, false)) {
      ctx.pipeline().addAfter(ctx.name(), "tls-events", new Events());
      // What came so far goes on to the TLS handler that takes this one's place.
      ctx.pipeline().replace(this, NAME, context.newHandler(ctx.alloc()));
      return;
    }
    in.skipBytes(in.readableBytes());
    log.accept("refused plain HTTP from " + ctx.channel().remoteAddress() + " on the TLS port");
    ctx.writeAndFlush(Unpooled.wrappedBuffer(PLAIN_HTTP_REFUSED))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Logs handshakes, and passes a client's {@code close_notify} on as the end of its input: TLS
   * clients (Docker's CLI among them) half-close an attach that way, not with a TCP half-close.
   */
  private final class Events extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent done) {
        String from = String.valueOf(ctx.channel().remoteAddress());
        if (done.isSuccess()) {
          String who = subject(ctx);
          String host = from.replaceFirst(":\\d+$", "");
          if (seen.add(host + " " + who)) {
            log.accept("client " + from + " (" + who + ") connected over TLS");
          }
        } else {
          log.accept("refused TLS client " + from + ": " + reason(done.cause()));
        }
      } else if (evt instanceof SslCloseCompletionEvent) {
        ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof SSLException
          || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
        // The handshake's failure was logged; the TLS handler closes the connection.
        ctx.close();
        return;
      }
      ctx.fireExceptionCaught(cause);
    }

    private String subject(ChannelHandlerContext ctx) {
      try {
        SslHandler tls = (SslHandler) ctx.pipeline().get(NAME);
        return ((X509Certificate) tls.engine().getSession().getPeerCertificates()[0])
            .getSubjectX500Principal()
            .getName();
      } catch (SSLPeerUnverifiedException | RuntimeException e) {
        return "no certificate";
      }
    }
  }

  /** Why a handshake failed, as the JDK's innermost message says it, in plain words where known. */
  static String reason(Throwable cause) {
    Throwable t = cause;
    String message = String.valueOf(t.getMessage());
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    if (t instanceof java.security.cert.CertificateExpiredException) {
      return "its certificate has expired (" + message + ")";
    }
    if (t instanceof java.security.cert.CertificateNotYetValidException) {
      return "its certificate is not valid yet (" + message + ")";
    }
    if (message.contains("Empty client certificate chain")) {
      return "it sent no client certificate";
    }
    if (message.contains("does not chain") || message.contains("PKIX")) {
      return "its certificate is not from this engine's CA (" + message + ")";
    }
    if (message.contains("protocol") && message.contains("not enabled")) {
      return "it offered no TLS version this engine speaks (1.2 or newer) (" + message + ")";
    }
    return message;
  }
}
