package io.jstack.runtime.api;

import io.netty.channel.Channel;
import io.netty.channel.epoll.Native;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a connection registered with epoll after its client ended its sending half, which Netty
 * 4.2's epoll transport does not: once the input is shut down it clears the channel's read interest
 * ({@code EPOLLIN}, {@code EPOLLRDHUP}); with no write waiting the interest set is then empty, and
 * its registration deletes the descriptor from epoll while still counting it as added. The next
 * write that must wait for room (an answer larger than the socket's buffers, a copied archive, an
 * export) asks epoll to modify a descriptor it no longer holds ({@code ENOENT}), and the answer is
 * cut ("Channel output shutdown").
 *
 * <p>{@code EPOLLERR} in the interest set keeps it from ever being empty. epoll reports {@code
 * EPOLLERR} whether asked for or not, so nothing else changes. Netty offers no public way to add a
 * flag, hence the reflection on {@code AbstractEpollChannel.setFlag}; without it (another Netty)
 * the engine says so once and runs as before.
 */
final class EpollInterest {
  private static final @Nullable Method SET_FLAG = setFlag();

  private EpollInterest() {}

  private static @Nullable Method setFlag() {
    try {
      Method m =
          Class.forName("io.netty.channel.epoll.AbstractEpollChannel")
              .getDeclaredMethod("setFlag", int.class);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println(
          "jstack engine: cannot keep half-closed connections registered with epoll ("
              + e
              + ");"
              + " a client that ends its sending half may get long answers cut");
      return null;
    }
  }

  /** Adds {@code EPOLLERR} to the interest set of {@code c}, an epoll channel on its event loop. */
  static void keepRegistered(Channel c) {
    if (SET_FLAG == null || !SET_FLAG.getDeclaringClass().isInstance(c)) {
      return;
    }
    try {
      SET_FLAG.invoke(c, Native.EPOLLERR);
    } catch (ReflectiveOperationException e) {
      // The channel closed meanwhile: nothing to keep.
    }
  }
}
