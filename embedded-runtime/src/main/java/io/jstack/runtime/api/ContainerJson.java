package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.runtime.engine.Container;
import io.jstack.runtime.engine.ContainerRecord;
import io.jstack.runtime.engine.Health;
import io.jstack.runtime.engine.PublishedPort;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.Subnet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Docker's JSON of containers: the list entry, inspect, network endpoints and top. */
final class ContainerJson {
  private final ContainerService engine;

  ContainerJson(ContainerService engine) {
    this.engine = engine;
  }

  /** An entry of {@code GET /containers/json}. */
  ObjectNode summary(Container c) {
    ContainerRecord r = c.record();
    ObjectNode s = Exchange.JSON.createObjectNode();
    s.put("Id", r.id());
    s.putArray("Names").add("/" + r.name());
    s.put("Image", r.image());
    s.put("ImageID", r.imageId());
    s.put("Command", command(r.commandLine()));
    s.put("Created", r.created().getEpochSecond());
    s.put("State", state(c));
    s.put("Status", status(c));
    ObjectNode labels = s.putObject("Labels");
    r.labels().forEach(labels::put);
    ArrayNode ports = s.putArray("Ports");
    if (c.alive()) {
      for (PublishedPort p : r.publishedPorts()) {
        ports
            .addObject()
            .put("IP", p.hostIp())
            .put("PrivatePort", p.containerPort())
            .put("PublicPort", p.hostPort())
            .put("Type", p.protocol());
      }
    }
    s.putObject("HostConfig").put("NetworkMode", CreateBody.networkMode(r.settings().host()));
    s.putObject("NetworkSettings").set("Networks", endpoints(r));
    s.set("Mounts", mounts(r));
    return s;
  }

  /** A container's command line as Docker lists it: arguments with spaces in single quotes. */
  private static String command(List<String> args) {
    List<String> shown = new ArrayList<>();
    for (String a : args) {
      shown.add(a.contains(" ") ? "'" + a + "'" : a);
    }
    return String.join(" ", shown);
  }

  /**
   * Whether its restart policy is starting it again: exited with a restart pending, or between its
   * last run's end and its new run's process (Docker's {@code restarting}, which a {@code down}
   * stops before it removes).
   */
  private boolean restarting(Container c) {
    return !c.alive() && engine.restarting(c);
  }

  /** Docker's state name: {@code restarting} for an exited container its policy starts again. */
  String state(Container c) {
    return restarting(c) ? "restarting" : c.status().name();
  }

  private String status(Container c) {
    String id = c.record().id();
    if (restarting(c)) {
      return "Restarting (" + c.exitCode() + ") " + ago(c.finishedAt()) + " ago";
    }
    String health =
        engine
            .health(id)
            .map(Health.State::status)
            .map(h -> h.equals("starting") ? " (health: starting)" : " (" + h + ")")
            .orElse("");
    return switch (c.status()) {
      case running -> "Up " + ago(c.record().startedAt()) + health;
      case paused -> "Up " + ago(c.record().startedAt()) + " (Paused)";
      case exited -> "Exited (" + c.exitCode() + ") " + ago(c.finishedAt()) + " ago";
      case created -> "Created";
    };
  }

  private static String ago(@Nullable Instant t) {
    if (t == null) {
      return "Less than a second";
    }
    long s = Duration.between(t, Instant.now()).getSeconds();
    return s < 1
        ? "Less than a second"
        : s < 60 ? s + " seconds" : s < 3600 ? (s / 60) + " minutes" : (s / 3600) + " hours";
  }

  /** {@code GET /containers/{id}/json}. */
  ObjectNode inspect(Container c) {
    ContainerRecord r = c.record();
    ObjectNode i = Exchange.JSON.createObjectNode();
    i.put("Id", r.id());
    i.put("Name", "/" + r.name());
    i.put("Created", r.created().toString());
    // The process it runs, as Docker splits it: the program, then its arguments.
    List<String> command = r.commandLine();
    i.put("Path", command.isEmpty() ? "" : command.get(0));
    ArrayNode args = i.putArray("Args");
    command.stream().skip(1).forEach(args::add);
    i.put("Image", r.imageId());
    i.put("ResolvConfPath", engine.generatedFile(r.id(), "/etc/resolv.conf").toString());
    i.put("HostnamePath", engine.generatedFile(r.id(), "/etc/hostname").toString());
    i.put("HostsPath", engine.generatedFile(r.id(), "/etc/hosts").toString());
    i.put("LogPath", engine.logFile(r.id()).toString());
    i.put("Driver", "overlay2");
    i.set(
        "Config",
        CreateBody.config(r.id(), r.settings(), r.image(), engine.imageDefaults(r.imageId())));
    ObjectNode state = i.putObject("State");
    boolean restarting = restarting(c);
    state.put("Status", state(c));
    // Docker counts a container its policy is about to start again as running.
    state.put("Running", c.alive() || restarting);
    state.put("Paused", c.status() == Container.Status.paused);
    state.put("Restarting", restarting);
    state.put("OOMKilled", false);
    state.put("Dead", false);
    state.put("Pid", c.alive() ? engine.pid(r.id()) : 0);
    state.put("ExitCode", c.exitCode());
    state.put("Error", c.error());
    state.put(
        "StartedAt", r.startedAt() == null ? "0001-01-01T00:00:00Z" : r.startedAt().toString());
    state.put(
        "FinishedAt", c.finishedAt() == null ? "0001-01-01T00:00:00Z" : c.finishedAt().toString());
    engine.health(r.id()).ifPresent(h -> state.set("Health", health(h)));
    i.put("RestartCount", r.restartCount());
    i.set("HostConfig", CreateBody.hostConfig(r.settings().host()));
    ObjectNode settings = i.putObject("NetworkSettings");
    ObjectNode networks = endpoints(r);
    settings.set("Networks", networks);
    JsonNode first = networks.elements().hasNext() ? networks.elements().next() : null;
    settings.put("IPAddress", first == null ? "" : first.path("IPAddress").asText(""));
    settings.put("Gateway", first == null ? "" : first.path("Gateway").asText(""));
    ObjectNode ports = settings.putObject("Ports");
    if (c.alive()) {
      for (PublishedPort p : r.publishedPorts()) {
        ports
            .withArray("/" + p.containerPort() + "~1" + p.protocol())
            .addObject()
            .put("HostIp", p.hostIp())
            .put("HostPort", String.valueOf(p.hostPort()));
      }
    }
    i.set("Mounts", mounts(r));
    return i;
  }

  /** Docker's {@code Mounts} of a container: the same in its list entry and its inspect. */
  private ArrayNode mounts(ContainerRecord r) {
    ArrayNode mounts = Exchange.JSON.createArrayNode();
    for (io.jstack.runtime.engine.MountPoint m : engine.mountPoints(r)) {
      ObjectNode o = mounts.addObject().put("Type", m.type());
      if (m.name() != null) {
        o.put("Name", m.name());
      }
      o.put("Source", m.source()).put("Destination", m.destination());
      if (m.type().equals("volume")) {
        o.put("Driver", "local");
      }
      o.put("Mode", m.mode()).put("RW", m.rw()).put("Propagation", m.propagation());
    }
    return mounts;
  }

  /** Docker's {@code State.Health}. */
  private static ObjectNode health(Health.State h) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("Status", h.status());
    o.put("FailingStreak", h.failingStreak());
    ArrayNode results = o.putArray("Log");
    for (Health.Result r : h.log()) {
      results
          .addObject()
          .put("Start", r.start().toString())
          .put("End", r.end().toString())
          .put("ExitCode", r.exitCode())
          .put("Output", r.output());
    }
    return o;
  }

  /** Docker's {@code NetworkSettings.Networks} of a container. */
  ObjectNode endpoints(ContainerRecord r) {
    ObjectNode out = Exchange.JSON.createObjectNode();
    String mode = r.settings().host().networkMode();
    if (r.endpoints().isEmpty()) {
      out.putObject(mode.isEmpty() || mode.startsWith("container:") ? "none" : mode);
      return out;
    }
    r.endpoints()
        .forEach(
            (id, ep) -> {
              Network net = engine.network(id).orElse(null);
              ObjectNode o = out.putObject(ep.network());
              o.putNull("IPAMConfig");
              o.putNull("Links");
              ep.aliases().forEach(o.putArray("Aliases")::add);
              o.put("NetworkID", id);
              o.put("EndpointID", ep.endpointId());
              o.put("Gateway", net == null ? "" : Subnet.address(net.gateway()));
              o.put("IPAddress", ep.address());
              o.put("IPPrefixLen", net == null ? 0 : net.subnet().prefix());
              o.put("MacAddress", "");
            });
    return out;
  }

  /** The processes as {@code ps -ef} shows them: UID PID PPID C STIME TTY TIME CMD. */
  static ObjectNode top(List<Long> pids) {
    ObjectNode t = Exchange.JSON.createObjectNode();
    ArrayNode titles = t.putArray("Titles");
    for (String s : List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD")) {
      titles.add(s);
    }
    ArrayNode rows = t.putArray("Processes");
    DateTimeFormatter hm = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
    for (long pid : pids) {
      ProcessHandle.Info info = ProcessHandle.of(pid).map(ProcessHandle::info).orElse(null);
      if (info == null) {
        continue;
      }
      String ppid = "0";
      String cmd = info.commandLine().orElse(info.command().orElse("?"));
      try {
        for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
          if (l.startsWith("PPid:")) {
            ppid = l.substring(5).strip();
          }
        }
        byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
        if (raw.length > 0) {
          cmd = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        }
      } catch (IOException gone) {
        continue;
      }
      long cpu = info.totalCpuDuration().map(Duration::getSeconds).orElse(0L);
      ArrayNode row = rows.addArray();
      row.add(info.user().orElse("?"));
      row.add(String.valueOf(pid));
      row.add(ppid);
      row.add("0");
      row.add(info.startInstant().map(hm::format).orElse("?"));
      row.add("?");
      row.add(String.format("%02d:%02d:%02d", cpu / 3600, cpu / 60 % 60, cpu % 60));
      row.add(cmd);
    }
    return t;
  }
}
