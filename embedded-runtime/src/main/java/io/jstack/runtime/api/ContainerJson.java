package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.runtime.engine.Container;
import io.jstack.runtime.engine.ContainerRecord;
import io.jstack.runtime.engine.EmbeddedEngine;
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

/** Docker's JSON of containers: the list entry, inspect, network endpoints and top. */
final class ContainerJson {
  private final EmbeddedEngine engine;

  ContainerJson(EmbeddedEngine engine) {
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
    s.put("Command", command(engine.command(r)));
    s.put("Created", r.created().getEpochSecond());
    s.put("State", c.status().name());
    s.put("Status", status(c));
    s.set(
        "Labels",
        r.request().path("Labels").isObject()
            ? r.request().path("Labels")
            : Exchange.JSON.createObjectNode());
    ArrayNode ports = s.putArray("Ports");
    if (c.alive()) {
      for (JsonNode p : r.publishedPorts()) {
        ports
            .addObject()
            .put("IP", p.path("HostIp").asText())
            .put("PrivatePort", p.path("ContainerPort").asInt())
            .put("PublicPort", p.path("HostPort").asInt())
            .put("Type", p.path("Protocol").asText());
      }
    }
    s.putObject("NetworkSettings").set("Networks", endpoints(r));
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

  private String status(Container c) {
    String id = c.record().id();
    if (c.status() == Container.Status.exited && engine.restarting(id)) {
      return "Restarting (" + c.exitCode() + ") " + ago(c.finishedAt()) + " ago";
    }
    String health =
        engine
            .health(id)
            .map(h -> h.path("Status").asText())
            .map(h -> h.equals("starting") ? " (health: starting)" : " (" + h + ")")
            .orElse("");
    return switch (c.status()) {
      case running -> "Up " + ago(c.record().startedAt()) + health;
      case paused -> "Up " + ago(c.record().startedAt()) + " (Paused)";
      case exited -> "Exited (" + c.exitCode() + ") " + ago(c.finishedAt()) + " ago";
      case created -> "Created";
    };
  }

  private static String ago(Instant t) {
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
    i.put("Image", r.imageId());
    ObjectNode config = i.putObject("Config");
    for (String k :
        List.of(
            "Hostname",
            "User",
            "Env",
            "Cmd",
            "Entrypoint",
            "WorkingDir",
            "Labels",
            "StopSignal",
            "StopTimeout",
            "Healthcheck",
            "ExposedPorts")) {
      if (r.request().has(k)) {
        config.set(k, r.request().get(k));
      }
    }
    config.put("Image", r.image());
    config.put("Tty", r.request().path("Tty").asBoolean());
    config.put("OpenStdin", r.request().path("OpenStdin").asBoolean());
    config.put("StdinOnce", r.request().path("StdinOnce").asBoolean());
    ObjectNode state = i.putObject("State");
    state.put("Status", c.status().name());
    state.put("Running", c.alive());
    state.put("Paused", c.status() == Container.Status.paused);
    state.put("Restarting", engine.restarting(r.id()));
    state.put("OOMKilled", false);
    state.put("Dead", false);
    state.put("ExitCode", c.exitCode());
    state.put(
        "StartedAt", r.startedAt() == null ? "0001-01-01T00:00:00Z" : r.startedAt().toString());
    state.put(
        "FinishedAt", c.finishedAt() == null ? "0001-01-01T00:00:00Z" : c.finishedAt().toString());
    engine.health(r.id()).ifPresent(h -> state.set("Health", h));
    i.put("RestartCount", r.restartCount());
    i.set("HostConfig", r.request().path("HostConfig"));
    ObjectNode settings = i.putObject("NetworkSettings");
    ObjectNode networks = endpoints(r);
    settings.set("Networks", networks);
    JsonNode first = networks.elements().hasNext() ? networks.elements().next() : null;
    settings.put("IPAddress", first == null ? "" : first.path("IPAddress").asText(""));
    settings.put("Gateway", first == null ? "" : first.path("Gateway").asText(""));
    ObjectNode ports = settings.putObject("Ports");
    if (c.alive()) {
      for (JsonNode p : r.publishedPorts()) {
        ports
            .withArray("/" + p.path("ContainerPort").asInt() + "~1" + p.path("Protocol").asText())
            .addObject()
            .put("HostIp", p.path("HostIp").asText())
            .put("HostPort", String.valueOf(p.path("HostPort").asInt()));
      }
    }
    i.putArray("Mounts");
    return i;
  }

  /** Docker's {@code NetworkSettings.Networks} of a container. */
  ObjectNode endpoints(ContainerRecord r) {
    ObjectNode out = Exchange.JSON.createObjectNode();
    String mode = r.request().path("HostConfig").path("NetworkMode").asText("none");
    if (r.endpoints().size() == 0) {
      out.putObject(mode.startsWith("container:") ? "none" : mode);
      return out;
    }
    r.endpoints()
        .properties()
        .forEach(
            e -> {
              Network net = engine.networks().find(e.getKey()).orElse(null);
              JsonNode ep = e.getValue();
              ObjectNode o = out.putObject(ep.path("Name").asText());
              o.putNull("IPAMConfig");
              o.putNull("Links");
              o.set("Aliases", ep.path("Aliases"));
              o.put("NetworkID", e.getKey());
              o.put("EndpointID", ep.path("EndpointID").asText());
              o.put("Gateway", net == null ? "" : Subnet.address(net.gateway()));
              o.put("IPAddress", ep.path("IPAddress").asText());
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
