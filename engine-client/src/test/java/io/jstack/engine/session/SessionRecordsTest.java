package io.jstack.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionRecordsTest {
  @TempDir Path dir;

  @Test
  void aRecord_holdsItsProjectsOnDisk_privately_untilDeleted() throws Exception {
    SessionRecords records = new SessionRecords(dir.resolve("sessions"));
    SessionRecords.Record r = records.create(ProcessHandle.current().pid(), "unix:///x.sock");
    r.watch("shop");
    r.watch("db-1");
    r.release("shop");

    Path file = dir.resolve("sessions").resolve(r.id() + ".session");
    List<String> lines = Files.readAllLines(file);
    assertThat(lines.get(0)).startsWith("owner " + ProcessHandle.current().pid() + " ");
    assertThat(lines)
        .contains("engine unix:///x.sock", "project db-1")
        .doesNotContain("project shop");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    // Its owner (this JVM) runs: it is no dead owner's.
    assertThat(r.ownerAlive()).isTrue();
    assertThat(records.ofDeadOwners()).isEmpty();

    r.delete();
    assertThat(file).doesNotExist();
  }

  @Test
  void ofDeadOwners_findsTheRecordsOfEndedProcesses_withTheirProjects() throws Exception {
    Process p = new ProcessBuilder("true").start();
    long pid = p.pid();
    SessionRecords records = new SessionRecords(dir);
    SessionRecords.Record r = records.create(pid, "unix:///x.sock");
    r.watch("left-behind");
    p.waitFor();
    p.toHandle().onExit().join();

    List<SessionRecords.Record> dead = records.ofDeadOwners();
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).id()).isEqualTo(r.id());
    assertThat(dead.get(0).ownerPid()).isEqualTo(pid);
    assertThat(dead.get(0).engine()).isEqualTo("unix:///x.sock");
    assertThat(dead.get(0).projects()).containsExactly("left-behind");
  }

  @Test
  void resume_byItsOwner_takesTheRecordOver_andTheOldOneIsNoLongerHeld() {
    long me = ProcessHandle.current().pid();
    SessionRecords records = new SessionRecords(dir);
    SessionRecords.Record old = records.create(me, "unix:///x.sock");
    old.watch("shop");
    assertThat(records.holds(old)).isTrue();

    // As a restarted engine finds it: another instance over the same directory.
    SessionRecords again = new SessionRecords(dir);
    assertThat(again.resume(old.id(), me + 1)).as("another process's").isEmpty();
    assertThat(again.resume("../" + old.id(), me)).as("not an id").isEmpty();
    SessionRecords.Record resumed = again.resume(old.id(), me).orElseThrow();
    assertThat(resumed.projects()).containsExactly("shop");
    assertThat(again.holds(resumed)).isTrue();

    // In the same host, the session's old connection no longer holds it.
    SessionRecords.Record taken = records.resume(old.id(), me).orElseThrow();
    assertThat(records.holds(old)).isFalse();
    assertThat(records.holds(taken)).isTrue();
  }
}
