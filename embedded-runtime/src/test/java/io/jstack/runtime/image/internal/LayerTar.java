package io.jstack.runtime.image.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** A layer tar built entry by entry for tests, hostile ones included (names are kept as given). */
final class LayerTar {
  static final FileTime MTIME = FileTime.from(Instant.parse("2021-03-04T05:06:07Z"));

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);

  LayerTar() {
    out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  LayerTar dir(String name, int mode) {
    return add(entry(name, TarConstants.LF_DIR, mode), null);
  }

  LayerTar file(String name, int mode, String content) {
    return file(name, mode, 0, 0, content, Map.of());
  }

  LayerTar file(String name, int mode, int uid, int gid, String content, Map<String, String> pax) {
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, mode);
    e.setUserId(uid);
    e.setGroupId(gid);
    pax.forEach(e::addPaxHeader);
    return add(e, content.getBytes(StandardCharsets.UTF_8));
  }

  LayerTar dirWithPax(String name, int mode, Map<String, String> pax) {
    TarArchiveEntry e = entry(name, TarConstants.LF_DIR, mode);
    pax.forEach(e::addPaxHeader);
    return add(e, null);
  }

  LayerTar symlink(String name, String target) {
    TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
    e.setLinkName(target);
    return add(e, null);
  }

  LayerTar hardlink(String name, String target, int mode) {
    TarArchiveEntry e = entry(name, TarConstants.LF_LINK, mode);
    e.setLinkName(target);
    return add(e, null);
  }

  LayerTar device(String name, byte type, int mode, int major, int minor) {
    TarArchiveEntry e = entry(name, type, mode);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return add(e, null);
  }

  byte[] bytes() {
    try {
      out.finish();
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static TarArchiveEntry entry(String name, byte type, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setMode(mode);
    e.setLastModifiedTime(MTIME);
    return e;
  }

  private LayerTar add(TarArchiveEntry e, byte[] content) {
    try {
      if (content != null) {
        e.setSize(content.length);
      }
      out.putArchiveEntry(e);
      if (content != null) {
        out.write(content);
      }
      out.closeArchiveEntry();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return this;
  }
}
