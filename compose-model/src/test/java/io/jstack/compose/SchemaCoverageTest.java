package io.jstack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The typed model covers the Compose Specification: for each object the schema defines, every
 * property is a component of the record that models it, or is listed here as deliberately left out,
 * with the reason; and every component is a property of the schema (or listed as ours).
 */
class SchemaCoverageTest {

  /** Schema object (a path into the schema) and the record that models it. */
  static final Map<String, Class<?>> MODEL =
      Map.ofEntries(
          Map.entry("", Project.class),
          Map.entry("$defs.service", Service.class),
          Map.entry("$defs.service.properties.build.oneOf[1]", BuildConfig.class),
          Map.entry("$defs.service.properties.blkio_config", BlkioConfig.class),
          Map.entry("$defs.blkio_limit", BlkioConfig.BlkioLimit.class),
          Map.entry("$defs.blkio_weight", BlkioConfig.BlkioWeight.class),
          Map.entry("$defs.service.properties.credential_spec", CredentialSpec.class),
          Map.entry(
              "$defs.service.properties.depends_on.oneOf[1].patternProperties.*", DependsOn.class),
          Map.entry("$defs.deployment", Deploy.class),
          Map.entry("$defs.deployment.properties.update_config", Deploy.UpdateConfig.class),
          Map.entry("$defs.deployment.properties.rollback_config", Deploy.UpdateConfig.class),
          Map.entry("$defs.deployment.properties.resources", Deploy.Resources.class),
          Map.entry("$defs.deployment.properties.resources.properties.limits", Deploy.Limits.class),
          Map.entry(
              "$defs.deployment.properties.resources.properties.reservations",
              Deploy.Reservations.class),
          Map.entry("$defs.deployment.properties.restart_policy", Deploy.RestartPolicy.class),
          Map.entry("$defs.deployment.properties.placement", Deploy.Placement.class),
          Map.entry(
              "$defs.deployment.properties.placement.properties.preferences.items",
              Deploy.Preference.class),
          Map.entry("$defs.generic_resources.items", Deploy.GenericResource.class),
          Map.entry(
              "$defs.generic_resources.items.properties.discrete_resource_spec",
              Deploy.DiscreteResourceSpec.class),
          Map.entry("$defs.devices.items", DeviceRequest.class),
          Map.entry("$defs.gpus.oneOf[1].items", DeviceRequest.class),
          Map.entry("$defs.development", Develop.class),
          Map.entry("$defs.development.properties.watch.items", Develop.Watch.class),
          Map.entry("$defs.service.properties.devices.items.oneOf[1]", Device.class),
          Map.entry("$defs.env_file.oneOf[1].items.oneOf[1]", EnvFile.class),
          Map.entry("$defs.healthcheck", Healthcheck.class),
          Map.entry("$defs.service.properties.logging", Logging.class),
          Map.entry(
              "$defs.service.properties.networks.oneOf[1].patternProperties.*.oneOf[0]",
              ServiceNetwork.class),
          Map.entry(
              "$defs.service.properties.models.oneOf[1].patternProperties.*.oneOf[0]",
              ServiceModel.class),
          Map.entry("$defs.service.properties.ports.items.oneOf[2]", PortConfig.class),
          Map.entry("$defs.service_hook", Hook.class),
          Map.entry("$defs.pre_start_hook", Hook.class),
          Map.entry("$defs.service.properties.provider", Provider.class),
          Map.entry("$defs.service_config_or_secret.items.oneOf[1]", FileReference.class),
          Map.entry("$defs.ulimits.patternProperties.*.oneOf[1]", Ulimit.class),
          Map.entry("$defs.service.properties.volumes.items.oneOf[1]", VolumeMount.class),
          Map.entry(
              "$defs.service.properties.volumes.items.oneOf[1].properties.bind", BindOptions.class),
          Map.entry(
              "$defs.service.properties.volumes.items.oneOf[1].properties.volume",
              VolumeOptions.class),
          Map.entry(
              "$defs.service.properties.volumes.items.oneOf[1].properties.tmpfs",
              TmpfsOptions.class),
          Map.entry(
              "$defs.service.properties.volumes.items.oneOf[1].properties.image",
              ImageOptions.class),
          Map.entry("$defs.network", Network.class),
          Map.entry("$defs.network.properties.ipam", Network.Ipam.class),
          Map.entry(
              "$defs.network.properties.ipam.properties.config.items", Network.IpamPool.class),
          Map.entry("$defs.volume", Volume.class),
          Map.entry("$defs.secret", FileObject.class),
          Map.entry("$defs.config", FileObject.class),
          Map.entry("$defs.model", Model.class));

  /** Schema properties the model leaves out on purpose, each with its reason. */
  static final Map<String, String> LEFT_OUT =
      Map.of(
          "Project.version", "obsolete; ignored with a warning, as Docker Compose does",
          "Project.include", "resolved while loading: included resources are merged in",
          "Service.extends", "resolved while loading: the extended service is merged in");

  /** Components that are ours, not schema properties. */
  static final Set<String> OURS =
      Set.of(
          "Service.name (the key of the service in services:)",
          "Ulimit.single (the short form nofile: 1024)",
          "*.extensions (the x-* entries)");

  static Stream<Arguments> objects() throws IOException {
    List<Arguments> args = new ArrayList<>();
    for (String file : List.of("compose-spec.json", "compose-spec.compose-go.json")) {
      JsonNode root =
          new ObjectMapper()
              .readTree(
                  Fixtures.shared().resolve("conformance/compose-spec").resolve(file).toFile());
      MODEL.forEach(
          (path, type) ->
              args.add(Arguments.of(file, path.isEmpty() ? "(root)" : path, root, type)));
    }
    return args.stream()
        .sorted((a, b) -> (a.get()[0] + "" + a.get()[1]).compareTo(b.get()[0] + "" + b.get()[1]));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("objects")
  void everySchemaPropertyIsModelled(String file, String path, JsonNode root, Class<?> type) {
    JsonNode node = resolve(root, path.equals("(root)") ? "" : path);
    Set<String> properties = new TreeSet<>();
    node.path("properties").fieldNames().forEachRemaining(properties::add);
    if (properties.isEmpty() && !path.equals("(root)")) {
      // The older schema lacks some newer objects; nothing to check there.
      assertThat(file).isEqualTo("compose-spec.json");
      return;
    }
    Set<String> components = new TreeSet<>();
    boolean hasExtensions = false;
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.getName().equals("extensions")) {
        hasExtensions = true;
      } else if (!c.isAnnotationPresent(MapKey.class)) {
        components.add(snake(c.getName()));
      }
    }
    String simple = type.getSimpleName();
    Set<String> missing = new TreeSet<>(properties);
    missing.removeAll(components);
    missing.removeIf(p -> LEFT_OUT.containsKey(simple + "." + p));
    assertThat(missing).as("schema properties of %s not modelled by %s", path, simple).isEmpty();

    Set<String> extra = new TreeSet<>(components);
    extra.removeAll(properties);
    extra.removeIf(c -> OURS.stream().anyMatch(o -> o.startsWith(simple + "." + c + " ")));
    // A record shared by two schema objects (Hook, DeviceRequest, FileObject) may carry the union.
    extra.removeIf(c -> sharedBy(type) && propertiesOfAll(root, type).contains(c));
    if (file.equals("compose-spec.compose-go.json")) {
      // Only the newest schema defines every newer property (pre_start, no_cache_filter...).
      assertThat(extra).as("components of %s that %s does not define", simple, path).isEmpty();
    }

    boolean schemaAllowsExtensions = node.path("patternProperties").has("^x-");
    if (schemaAllowsExtensions && !type.equals(Ulimit.class)) {
      assertThat(hasExtensions || !extensionsMatter(type))
          .as("%s allows x-* but %s has no extensions component", path, simple)
          .isTrue();
    }
  }

  private static boolean extensionsMatter(Class<?> type) {
    return Set.of(Project.class, Service.class, Network.class, Volume.class, FileObject.class)
        .contains(type);
  }

  private static boolean sharedBy(Class<?> type) {
    return MODEL.values().stream().filter(type::equals).count() > 1;
  }

  private static Set<String> propertiesOfAll(JsonNode root, Class<?> type) {
    Set<String> all = new TreeSet<>();
    MODEL.forEach(
        (path, t) -> {
          if (t.equals(type)) {
            resolve(root, path).path("properties").fieldNames().forEachRemaining(all::add);
          }
        });
    return all;
  }

  /** Follows a dotted path with {@code [i]} indexes and {@code *} (the only pattern property). */
  static JsonNode resolve(JsonNode root, String path) {
    JsonNode node = root;
    if (path.isEmpty()) {
      return node;
    }
    for (String part : path.split("\\.")) {
      node = deref(root, node);
      String name = part;
      Integer index = null;
      int bracket = part.indexOf('[');
      if (bracket >= 0) {
        name = part.substring(0, bracket);
        index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
      }
      if (name.equals("$defs") && !node.has("$defs")) {
        name = "definitions";
      }
      if (name.equals("*")) {
        JsonNode found = null;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          if (!e.getKey().startsWith("^x-")) {
            found = e.getValue();
          }
        }
        node = found;
      } else {
        node = node.path(name);
      }
      if (index != null) {
        node = node.path(index);
      }
    }
    return deref(root, node);
  }

  private static JsonNode deref(JsonNode root, JsonNode node) {
    while (node != null && node.has("$ref")) {
      String[] parts = node.get("$ref").asText().substring(2).split("/");
      JsonNode n = root;
      for (String p : parts) {
        n = n.path(p);
      }
      node = n;
    }
    return node;
  }

  private static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        sb.append('_').append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }
}
