package io.jstack.compose.internal.bind;

import io.jstack.compose.KeepEmpty;
import io.jstack.compose.MapKey;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a model record maps to YAML: one entry per component, keyed by its snake_case name. Built
 * once per record class.
 *
 * <p>Records are built and read through core reflection, not method handles: a handle invoked with
 * an argument array spins classes for each arity, about 80 that every short command paid for at
 * start-up and that a class-data archive does not keep.
 */
final class RecordShape {
  static final String EXTENSIONS = "extensions";

  private static final ClassValue<RecordShape> CACHE =
      new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
          return new RecordShape(type);
        }
      };

  /** One record component. */
  record Component(
      int index,
      String javaName,
      String key,
      Type type,
      Class<?> raw,
      boolean mapKey,
      boolean keepEmpty,
      Method accessor) {
    /** This component's value in {@code record}. */
    Object get(Object record) {
      try {
        return accessor.invoke(record);
      } catch (InvocationTargetException e) {
        throw unchecked(e);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read " + accessor, e);
      }
    }
  }

  final Class<?> type;
  final List<Component> components;
  final Map<String, Component> byKey;
  final @Nullable Component extensions;
  final @Nullable Component mapKey;
  private final Constructor<?> constructor;

  private RecordShape(Class<?> type) {
    this.type = type;
    RecordComponent[] rc = type.getRecordComponents();
    if (rc == null) {
      throw new IllegalArgumentException(type + " is not a record");
    }
    List<Component> list = new ArrayList<>();
    Map<String, Component> keys = new LinkedHashMap<>();
    Component ext = null;
    Component mk = null;
    Class<?>[] params = new Class<?>[rc.length];
    try {
      for (int i = 0; i < rc.length; i++) {
        RecordComponent r = rc[i];
        params[i] = r.getType();
        String key = snakeCase(r.getName());
        Component c =
            new Component(
                i,
                r.getName(),
                key,
                r.getGenericType(),
                r.getType(),
                r.isAnnotationPresent(MapKey.class),
                r.isAnnotationPresent(KeepEmpty.class),
                r.getAccessor());
        list.add(c);
        if (c.mapKey()) {
          mk = c;
        } else if (r.getName().equals(EXTENSIONS)) {
          ext = c;
        } else {
          keys.put(key, c);
        }
      }
      this.constructor = type.getConstructor(params);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot bind " + type, e);
    }
    this.components = Collections.unmodifiableList(list);
    this.byKey = Collections.unmodifiableMap(keys);
    this.extensions = ext;
    this.mapKey = mk;
  }

  /**
   * A new record of this shape from its components' values, in order; what its constructor throws
   * is thrown as it is.
   */
  Object construct(Object[] args) {
    try {
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      throw unchecked(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot bind " + type, e);
    }
  }

  /** What a record's constructor or accessor threw (never a checked exception). */
  private static RuntimeException unchecked(InvocationTargetException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException(cause);
  }

  static RecordShape of(Class<?> type) {
    return CACHE.get(type);
  }

  /** {@code containerName} to {@code container_name}; digits stay with the word before them. */
  static String snakeCase(String javaName) {
    StringBuilder sb = new StringBuilder(javaName.length() + 4);
    for (int i = 0; i < javaName.length(); i++) {
      char c = javaName.charAt(i);
      if (Character.isUpperCase(c)) {
        sb.append('_').append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
