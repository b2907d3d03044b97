package io.jstack.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.Engine;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForwardingEngineTest {

  private record Invocation(Method method, List<Object> args) {}

  @Test
  void everyEngineMethod_isForwarded_withItsArguments_andItsResultReturned() throws Exception {
    List<Invocation> seen = new ArrayList<>();
    Engine delegate =
        (Engine)
            Proxy.newProxyInstance(
                Engine.class.getClassLoader(),
                new Class<?>[] {Engine.class},
                (proxy, method, args) -> {
                  seen.add(new Invocation(method, args == null ? List.of() : Arrays.asList(args)));
                  return resultFor(method.getReturnType());
                });
    Engine forwarding = new ForwardingEngine(delegate) {};

    for (Method m : Engine.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      assertThat(ForwardingEngine.class.getDeclaredMethod(m.getName(), m.getParameterTypes()))
          .as("ForwardingEngine declares %s", m)
          .isNotNull();
      Object[] args = Arrays.stream(m.getParameterTypes()).map(this::argumentFor).toArray();
      seen.clear();

      Object result = m.invoke(forwarding, args);

      assertThat(seen).as("what %s passed on", m.getName()).hasSize(1);
      assertThat(seen.get(0).method()).isEqualTo(m);
      assertThat(seen.get(0).args()).containsExactly(args);
      assertThat(result).isEqualTo(resultFor(m.getReturnType()));
    }
  }

  private Object argumentFor(Class<?> type) {
    if (type == String.class) {
      return "arg";
    } else if (type == boolean.class) {
      return true;
    } else if (type == byte[].class) {
      return new byte[] {1};
    }
    return null;
  }

  private static Object resultFor(Class<?> type) {
    if (type == int.class) {
      return 42;
    } else if (type == String.class) {
      return "result";
    } else if (type == Optional.class) {
      return Optional.of("result");
    } else if (type == List.class) {
      return List.of("result");
    }
    return null;
  }
}
