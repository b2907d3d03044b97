package io.jstack.engine.testing.contract;

import io.jstack.engine.Engine;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The methods of {@link Engine}, each by a key that tells overloads apart. */
public final class EngineMethods {
  private EngineMethods() {}

  /**
   * The method's name, with its parameter types' simple names when {@link Engine} has several
   * methods of that name: {@code createContainer}, {@code exec(String,ExecSpec,Stdio)}.
   */
  public static String key(Method m) {
    long sameName =
        Arrays.stream(Engine.class.getMethods())
            .filter(o -> o.getName().equals(m.getName()))
            .count();
    if (sameName == 1) {
      return m.getName();
    }
    return m.getName()
        + Arrays.stream(m.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(",", "(", ")"));
  }

  /** Every instance method of {@link Engine}, by key. */
  public static Set<String> all() {
    Set<String> keys = new TreeSet<>();
    for (Method m : Engine.class.getMethods()) {
      if (!Modifier.isStatic(m.getModifiers())) {
        keys.add(key(m));
      }
    }
    return keys;
  }
}
