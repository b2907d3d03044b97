package io.jstack.junit.internal;

import io.jstack.compose.PortConfig;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the fixed host ports of a project into ports the engine picks (as {@code "8080"} becomes
 * {@code ""} in {@code ports:}), in memory: one compose file then serves runs side by side, and the
 * stack tells where each port went. The engine picks the port when it binds it, so two runs never
 * race for one.
 */
public final class FreePorts {
  private FreePorts() {}

  /** {@code project} with every published host port left to the engine. */
  public static Project apply(Project project) {
    Map<String, Service> services = new LinkedHashMap<>();
    for (Service s : project.services().values()) {
      List<PortConfig> ports = new ArrayList<>();
      boolean changed = false;
      for (PortConfig p : s.ports()) {
        if (p.published() != null) {
          changed = true;
          ports.add(
              new PortConfig(
                  p.name(), p.mode(), p.hostIp(), p.target(), null, p.protocol(), p.appProtocol()));
        } else {
          ports.add(p);
        }
      }
      services.put(s.name(), changed ? withPorts(s, ports) : s);
    }
    return project.withServices(services);
  }

  /**
   * A copy of {@code s} with other ports. {@link Service} has some ninety components and no
   * copy-with methods; its canonical constructor is called with every other component as it was.
   */
  static Service withPorts(Service s, List<PortConfig> ports) {
    RecordComponent[] components = Service.class.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] =
            components[i].getName().equals("ports") ? ports : components[i].getAccessor().invoke(s);
      }
      Constructor<Service> canonical = Service.class.getDeclaredConstructor(types);
      return canonical.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy service " + s.name() + ": " + e, e);
    }
  }
}
