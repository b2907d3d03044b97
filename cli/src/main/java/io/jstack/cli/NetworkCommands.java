package io.jstack.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.cli.internal.RowTemplate;
import io.jstack.engine.Engine;
import io.jstack.engine.ListFilters;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.NetworkSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jstack network ...}: the networks of the engine the global options select, as {@code
 * docker network} shows and removes them, for hosts without Docker's CLI.
 */
@Command(
    name = "network",
    description = "Manage the engine's networks (as docker network).",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      NetworkCommands.Ls.class,
      NetworkCommands.Inspect.class,
      NetworkCommands.Rm.class,
      NetworkCommands.Prune.class
    })
final class NetworkCommands implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "name a command: ls, inspect, rm or prune");
  }

  /** The fields a {@code --format} template may name, with their table headers, as Docker's. */
  static final Map<String, String> FIELDS = fields();

  /** Docker's default columns for networks. */
  static final String TABLE = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

  private static Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("ID", "NETWORK ID");
    f.put("Name", "NAME");
    f.put("Driver", "DRIVER");
    f.put("Scope", "SCOPE");
    f.put("IPv6", "IPV6");
    f.put("Internal", "INTERNAL");
    f.put("Labels", "LABELS");
    f.put("CreatedAt", "CREATED AT");
    return Collections.unmodifiableMap(f);
  }

  /** A network's fields, as Docker's network formatter has them. */
  private static Map<String, Object> row(NetworkInfo n, boolean noTrunc) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ID", noTrunc ? n.id() : shortId(n.id()));
    m.put("Name", n.name());
    m.put("Driver", n.driver());
    m.put("Scope", n.scope());
    m.put("IPv6", String.valueOf(n.enableIpv6()));
    m.put("Internal", String.valueOf(n.internal()));
    m.put("Labels", n.labels());
    m.put("CreatedAt", createdAt(n.created()));
    return m;
  }

  private static String shortId(String id) {
    return id.substring(0, Math.min(12, id.length()));
  }

  /** The time the engine wrote, as Docker prints CreatedAt; as written when it is not RFC 3339. */
  private static String createdAt(String created) {
    try {
      return PsCommand.CREATED_AT.format(Instant.parse(created));
    } catch (DateTimeParseException e) {
      return created;
    }
  }

  /** A network as {@code docker network inspect} shows it. */
  static ObjectNode inspect(NetworkInfo n) {
    ObjectNode o = Subcommand.JSON.createObjectNode();
    o.put("Name", n.name());
    o.put("Id", n.id());
    o.put("Created", n.created());
    o.put("Scope", n.scope());
    o.put("Driver", n.driver());
    o.put("EnableIPv6", n.enableIpv6());
    ObjectNode ipam = o.putObject("IPAM");
    ipam.put("Driver", "default");
    ipam.putNull("Options");
    ArrayNode config = ipam.putArray("Config");
    for (NetworkSpec.IpamPool p : n.ipam()) {
      ObjectNode pool = config.addObject();
      putIfSet(pool, "Subnet", p.subnet());
      putIfSet(pool, "IPRange", p.ipRange());
      putIfSet(pool, "Gateway", p.gateway());
    }
    o.put("Internal", n.internal());
    o.put("Attachable", n.attachable());
    o.put("Ingress", n.ingress());
    o.putObject("ConfigFrom").put("Network", "");
    o.put("ConfigOnly", false);
    ObjectNode containers = o.putObject("Containers");
    new TreeMap<>(n.containers())
        .forEach(
            (id, e) -> {
              ObjectNode c = containers.putObject(id);
              c.put("Name", e.name());
              c.put("EndpointID", e.endpointId());
              c.put("MacAddress", e.macAddress());
              c.put("IPv4Address", e.ipv4Address());
              c.put("IPv6Address", e.ipv6Address());
            });
    ObjectNode options = o.putObject("Options");
    new TreeMap<>(n.options()).forEach(options::put);
    ObjectNode labels = o.putObject("Labels");
    new TreeMap<>(n.labels()).forEach(labels::put);
    return o;
  }

  private static void putIfSet(ObjectNode o, String field, @Nullable String value) {
    if (value != null) {
      o.put(field, value);
    }
  }

  @Command(
      name = "ls",
      aliases = "list",
      description = "List networks.",
      footer = {
        "",
        "Examples:",
        "  jstack network ls --filter label=com.docker.compose.project=shop",
        "  jstack network ls --format json"
      })
  static final class Ls extends ResourceVerb.ListVerb {
    @Option(
        names = {"-q", "--quiet"},
        description = "Only network IDs.")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Whole network IDs.")
    boolean noTrunc;

    @Option(
        names = {"-f", "--filter"},
        paramLabel = "KEY=VALUE",
        description =
            "Only these: dangling=true|false, driver=D, id=PREFIX, label=K[=V], name=PART,"
                + " scope=local, type=custom|builtin.")
    List<String> filter = new ArrayList<>();

    @Override
    public Integer call() {
      RowTemplate template = template(TABLE, FIELDS);
      ListFilters filters = filters(filter);
      List<NetworkInfo> networks = new ArrayList<>(onEngine(e -> e.networks(filters)));
      networks.sort(Comparator.comparing(NetworkInfo::name));
      if (quiet) {
        networks.forEach(n -> out().println(noTrunc ? n.id() : shortId(n.id())));
      } else {
        template.print(out(), networks.stream().map(n -> row(n, noTrunc)).toList());
      }
      out().flush();
      return Jstack.EXIT_OK;
    }
  }

  @Command(name = "inspect", description = "Show networks as JSON.")
  static final class Inspect extends ResourceVerb {
    @Parameters(arity = "1..*", paramLabel = "NETWORK", description = "A name or ID.")
    List<String> names;

    @Option(
        names = {"-f", "--format"},
        paramLabel = "TEMPLATE",
        description = "A Go template over each network ('{{.Id}}') instead of JSON.")
    @Nullable String format;

    @Override
    public Integer call() {
      return onEngine(e -> inspect(names, format, n -> e.network(n).map(NetworkCommands::inspect)));
    }
  }

  @Command(
      name = "rm",
      aliases = "remove",
      description = "Remove networks (none a running container is attached to).")
  static final class Rm extends ResourceVerb {
    @Parameters(arity = "1..*", paramLabel = "NETWORK", description = "A name or ID.")
    List<String> names;

    @Option(
        names = {"-f", "--force"},
        description = "A network that is not there is no error.")
    boolean force;

    @Override
    public Integer call() {
      return onEngine(e -> removeEach(names, e::removeNetwork, force));
    }
  }

  @Command(
      name = "prune",
      description = "Remove the networks no container is attached to, but the engine's own.")
  static final class Prune extends ResourceVerb.PruneVerb {
    @Override
    public Integer call() {
      prune(
          "WARNING! This will remove all custom networks not used by at least one container.",
          ListFilters.none(),
          "Networks",
          Engine::pruneNetworks);
      out().flush();
      return Jstack.EXIT_OK;
    }
  }
}
