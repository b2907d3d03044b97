package io.jstack.cli.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C handled by jstack itself: the first press asks for a graceful stop, the second forces exit
 * at once. JDK 17 runs shutdown hooks on SIGINT and blocks a second SIGINT meanwhile, so the
 * handler is installed through {@code sun.misc.Signal}, reached by reflection so that the build
 * stays free of warnings about internal APIs.
 */
public final class Signals {
  private Signals() {}

  /** Something that reacts to Ctrl-C. */
  public interface Interrupt {
    /** The first Ctrl-C: stop gracefully. */
    void graceful();

    /** The second Ctrl-C: give up now. */
    void force();
  }

  /** An installed handler; closing it restores the previous ones. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** The process's own SIGINT and SIGTERM; halting halts the JVM. */
  public static final Interrupts PROCESS =
      new Interrupts() {
        @Override
        public Registration onInterrupt(Interrupt interrupt) {
          return Signals.onInterrupt(interrupt);
        }

        @Override
        public void halt(int status) {
          Runtime.getRuntime().halt(status);
        }
      };

  /**
   * Routes SIGINT (and SIGTERM) to {@code interrupt} until the returned handle is closed, then
   * restores the previous handlers. Returns a no-op handle where signals cannot be handled.
   */
  static Registration onInterrupt(Interrupt interrupt) {
    AtomicInteger presses = new AtomicInteger();
    return handle(
        () -> {
          if (presses.incrementAndGet() == 1) {
            interrupt.graceful();
          } else {
            interrupt.force();
          }
        },
        "INT",
        "TERM");
  }

  /**
   * Runs {@code action} on each of the named signals (e.g. {@code WINCH}) until the returned handle
   * is closed, then restores the previous handlers. Returns a no-op handle where signals cannot be
   * handled.
   */
  public static Registration handle(Runnable action, String... signals) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      InvocationHandler h =
          (proxy, method, args) ->
              switch (method.getName()) {
                case "handle" -> {
                  action.run();
                  yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "jstack signal handler";
                default -> null;
              };
      Object handler =
          Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, h);
      Object[] installed = new Object[signals.length];
      Object[] previous = new Object[signals.length];
      for (int i = 0; i < signals.length; i++) {
        installed[i] = signalClass.getConstructor(String.class).newInstance(signals[i]);
        previous[i] = handle.invoke(null, installed[i], handler);
      }
      return () -> {
        try {
          for (int i = 0; i < installed.length; i++) {
            handle.invoke(null, installed[i], previous[i]);
          }
        } catch (ReflectiveOperationException e) {
          // The old handlers stay replaced; the process is about to end anyway.
        }
      };
    } catch (ReflectiveOperationException | RuntimeException e) {
      return () -> {};
    }
  }
}
