package io.jstack.compose.internal.load;

import io.jstack.compose.Service;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/** Which services profiles switch off. */
final class Profiles {
  private Profiles() {}

  /** The services that have profiles of which none is active; {@code *} activates every profile. */
  static Set<String> disabled(Collection<Service> services, Set<String> active) {
    Set<String> off = new TreeSet<>();
    if (active.contains("*")) {
      return off;
    }
    for (Service s : services) {
      if (!s.profiles().isEmpty() && s.profiles().stream().noneMatch(active::contains)) {
        off.add(s.name());
      }
    }
    return off;
  }
}
