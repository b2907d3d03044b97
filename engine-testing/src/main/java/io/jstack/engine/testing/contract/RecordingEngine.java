package io.jstack.engine.testing.contract;

import io.jstack.engine.Engine;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps an engine in a {@link Proxy} that notes every {@link Engine} method called on it (by {@link
 * EngineMethods#key}) before passing the call on: what lets the suite prove that its scenarios call
 * every method. Calls the target makes on itself (a default method calling another) are not seen.
 */
final class RecordingEngine {
  private final Set<String> sinceReset = ConcurrentHashMap.newKeySet();
  private final Set<String> ever = ConcurrentHashMap.newKeySet();
  private final Engine proxy;

  RecordingEngine(Engine target) {
    this.proxy =
        (Engine)
            Proxy.newProxyInstance(
                Engine.class.getClassLoader(),
                new Class<?>[] {Engine.class},
                (p, method, args) -> invoke(target, method, args));
  }

  private Object invoke(Engine target, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return method.invoke(target, args);
    }
    String key = EngineMethods.key(method);
    sinceReset.add(key);
    ever.add(key);
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** The engine to call: every call is noted. */
  Engine engine() {
    return proxy;
  }

  /** Forgets what was called since the last reset (not what {@link #ever()} returns). */
  void reset() {
    sinceReset.clear();
  }

  Set<String> sinceReset() {
    return Collections.unmodifiableSet(new TreeSet<>(sinceReset));
  }

  Set<String> ever() {
    return Collections.unmodifiableSet(new TreeSet<>(ever));
  }
}
