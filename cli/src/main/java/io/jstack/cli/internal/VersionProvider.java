package io.jstack.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven stamped into the build. */
public final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {"jstack version " + version()};
  }

  /** The bare version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    try (InputStream in =
        VersionProvider.class.getResourceAsStream("/io/jstack/cli/version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the jstack build");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
