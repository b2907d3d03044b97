package io.jstack.planner;

/**
 * The labels Docker Compose puts on what it creates, so that a stack started by jstack is
 * recognised by Docker Compose and the reverse. Containers are named {@code project-service-N},
 * networks and volumes {@code project_name}.
 */
public final class ComposeLabels {
  private ComposeLabels() {}

  public static final String PREFIX = "com.docker.compose.";

  /** The project's name; the same label the session guards remove a dead owner's project by. */
  public static final String PROJECT = io.jstack.engine.session.ProjectRemoval.PROJECT_LABEL;

  public static final String SERVICE = PREFIX + "service";
  public static final String CONTAINER_NUMBER = PREFIX + "container-number";

  /**
   * {@code True} for containers of {@code run}; Debian's docker-compose 1.29 filters on "False".
   */
  public static final String ONEOFF = PREFIX + "oneoff";

  public static final String CONFIG_HASH = PREFIX + "config-hash";
  public static final String DEPENDS_ON = PREFIX + "depends_on";
  public static final String WORKING_DIR = PREFIX + "project.working_dir";
  public static final String CONFIG_FILES = PREFIX + "project.config_files";
  public static final String ENVIRONMENT_FILE = PREFIX + "project.environment_file";
  public static final String VERSION = PREFIX + "version";
  public static final String IMAGE = PREFIX + "image";
  public static final String NETWORK = PREFIX + "network";
  public static final String VOLUME = PREFIX + "volume";

  /**
   * jstack's own: the service's canonical configuration, so that a plan can say which setting
   * changed, not only that the hash did.
   */
  public static final String JSTACK_CONFIG = "io.jstack.config";

  /** The value of {@link #VERSION}: the Compose file format generation jstack follows. */
  public static final String COMPOSE_VERSION = "2.40.3";

  /** {@code project-service-N}, the name Docker Compose v2 gives a service's Nth container. */
  public static String containerName(String project, String service, int number) {
    return project + "-" + service + "-" + number;
  }
}
