package io.jstack.engine.testing.contract;

import io.jstack.engine.ContainerSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Records of the engine's API for the suite ({@link ContainerSpec} and its parts), built with the
 * components it names and the rest left as they were or unset. They are built through each record's
 * canonical constructor found by reflection, so that the suite keeps compiling and running as
 * components are added to those records; a component it names that no longer exists fails with the
 * list of those that do.
 */
final class Specs {
  private Specs() {}

  /** {@code spec} with each component named in {@code changes} set to its value. */
  static ContainerSpec with(ContainerSpec spec, Map<String, Object> changes) {
    return build(ContainerSpec.class, spec, changes);
  }

  /** {@code spec} with one component changed. */
  static ContainerSpec with(ContainerSpec spec, String component, Object value) {
    Map<String, Object> change = new HashMap<>();
    change.put(component, value);
    return with(spec, change);
  }

  /**
   * A record of {@code type} with the components named in {@code values} and every other one unset:
   * null, false, 0, or an empty list or map.
   */
  static <R extends Record> R record(Class<R> type, Map<String, Object> values) {
    return build(type, null, values);
  }

  private static <R extends Record> R build(
      Class<R> type, @Nullable R base, Map<String, Object> changes) {
    RecordComponent[] components = type.getRecordComponents();
    Map<String, Object> left = new HashMap<>(changes);
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        String name = components[i].getName();
        types[i] = components[i].getType();
        if (left.containsKey(name)) {
          values[i] = left.remove(name);
        } else {
          values[i] =
              base != null ? components[i].getAccessor().invoke(base) : unset(components[i]);
        }
      }
      if (!left.isEmpty()) {
        throw new IllegalArgumentException(
            type.getSimpleName()
                + " has no component "
                + left.keySet()
                + "; it has "
                + Arrays.stream(components).map(RecordComponent::getName).toList());
      }
      Constructor<R> canonical = type.getDeclaredConstructor(types);
      return canonical.newInstance(values);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build a " + type.getSimpleName() + ": " + e, e);
    }
  }

  private static @Nullable Object unset(RecordComponent c) {
    Class<?> t = c.getType();
    if (t == boolean.class) {
      return false;
    } else if (t == int.class) {
      return 0;
    } else if (t == long.class) {
      return 0L;
    } else if (t == List.class) {
      return List.of();
    } else if (t == Map.class) {
      return Map.of();
    }
    return null;
  }
}
