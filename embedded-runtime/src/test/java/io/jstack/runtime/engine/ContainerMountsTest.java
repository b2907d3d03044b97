package io.jstack.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.EngineException;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.image.ImageConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new container mounts: its own mounts, its tmpfs and its image's volumes. */
class ContainerMountsTest {
  @TempDir Path dir;

  @Test
  void of_givesEachImageVolumeNoMountCovers_anAnonymousVolumeFilledFromTheImage() {
    Volumes volumes = new Volumes(new DataRoot(dir));
    List<String> anonymous = new ArrayList<>();

    List<ContainerConfig.BindMount> mounts =
        new ContainerMounts(volumes)
            .of(
                "db",
                host(List.of("pgdata:/var/lib/postgresql/data/"), List.of(), Map.of()),
                List.of(),
                image("/var/lib/postgresql/data", "/var/log/app"),
                true,
                anonymous);

    assertThat(mounts)
        .extracting(ContainerConfig.BindMount::type, ContainerConfig.BindMount::target)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("volume", "/var/log/app"),
            org.assertj.core.groups.Tuple.tuple("volume", "/var/lib/postgresql/data/"));
    assertThat(anonymous).hasSize(1);
    assertThat(mounts.get(0).source())
        .isEqualTo(volumes.find(anonymous.get(0)).orElseThrow().data());
    assertThat(mounts.get(0).populate()).as("a new volume gets the image's files").isTrue();
    assertThat(volumes.find(anonymous.get(0)).orElseThrow().labels())
        .containsKey("com.docker.volume.anonymous");
  }

  @Test
  void of_givesTheContainersOwnVolumesAnAnonymousVolume_asDockerRunV() {
    Volumes volumes = new Volumes(new DataRoot(dir));
    List<String> anonymous = new ArrayList<>();

    List<ContainerConfig.BindMount> mounts =
        new ContainerMounts(volumes)
            .of(
                "web",
                host(List.of(), List.of(), Map.of()),
                List.of("/cache", "/data"),
                image("/data", "/logs"),
                true,
                anonymous);

    assertThat(mounts)
        .extracting(ContainerConfig.BindMount::target)
        .containsExactly("/cache", "/data", "/logs");
    assertThat(anonymous).as("one volume for /data, which both ask for").hasSize(3);
  }

  @Test
  void of_forABuildStep_leavesTheImageVolumesInItsRoot() {
    Volumes volumes = new Volumes(new DataRoot(dir));
    List<String> anonymous = new ArrayList<>();

    assertThat(
            new ContainerMounts(volumes)
                .of(
                    "step",
                    host(List.of(), List.of(), Map.of()),
                    List.of(),
                    image("/data"),
                    false,
                    anonymous))
        .isEmpty();
    assertThat(anonymous).isEmpty();
    assertThat(volumes.list()).isEmpty();
  }

  @Test
  void of_ordersParentsFirst_andGivesTmpfsTheirOptions() {
    List<ContainerConfig.BindMount> mounts =
        new ContainerMounts(new Volumes(new DataRoot(dir)))
            .of(
                "web",
                host(
                    List.of(),
                    List.of(
                        new ContainerSettings.Mount(
                            "tmpfs", "", "/srv/cache/hot", true, false, 1L << 20, 0700)),
                    Map.of("/srv", "size=64m")),
                List.of(),
                image(),
                true,
                new ArrayList<>());

    assertThat(mounts)
        .extracting(ContainerConfig.BindMount::target, ContainerConfig.BindMount::options)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "/srv", List.of("noexec", "nosuid", "nodev", "rprivate", "size=64m")),
            org.assertj.core.groups.Tuple.tuple(
                "/srv/cache/hot",
                List.of("noexec", "nosuid", "nodev", "rprivate", "ro", "mode=700", "size=1m")));
  }

  @Test
  void of_withTwoMountsAtOneTarget_isRefused_beforeAnyVolumeIsMade() {
    Volumes volumes = new Volumes(new DataRoot(dir));

    assertThatThrownBy(
            () ->
                new ContainerMounts(volumes)
                    .of(
                        "web",
                        host(List.of("cache:/cache"), List.of(), Map.of("/cache/", "size=1m")),
                        List.of(),
                        image(),
                        true,
                        new ArrayList<>()))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessage(
            "container web mounts two things at /cache/: keep one of its volumes, binds or tmpfs"
                + " there");
    assertThatThrownBy(
            () ->
                new ContainerMounts(volumes)
                    .of(
                        "web",
                        host(List.of("cache:/cache"), List.of(), Map.of("/run", "bogus")),
                        List.of(),
                        image("/data"),
                        true,
                        new ArrayList<>()))
        .hasMessageContaining("unknown option \"bogus\"");
    assertThat(volumes.list()).as("nothing made for a container that is refused").isEmpty();
  }

  @Test
  void points_showWhatWasMade_asDockerdsInspect() {
    Volumes volumes = new Volumes(new DataRoot(dir.resolve("root")));
    ContainerMounts mounts = new ContainerMounts(volumes);
    String www = dir.resolve("www").toString();
    ContainerSettings.Host host =
        host(
            List.of("named:/named", www + ":/www:ro"),
            List.of(
                new ContainerSettings.Mount("volume", "", "/anon", false, false),
                new ContainerSettings.Mount("tmpfs", "", "/t2", false, false)),
            Map.of("/t", "size=1m"));
    ImageConfig image = image("/data", "/named", "/t");
    List<String> anonymous = new ArrayList<>();
    mounts.of("web", host, List.of("/own"), image, true, anonymous);

    List<MountPoint> points = mounts.points(host, List.of("/own"), image, anonymous);

    assertThat(anonymous).hasSize(3);
    assertThat(points)
        .containsExactly(
            new MountPoint("volume", "named", data(volumes, "named"), "/named", "z", true, ""),
            new MountPoint("bind", null, www, "/www", "ro", false, "rprivate"),
            new MountPoint(
                "volume",
                anonymous.get(0),
                data(volumes, anonymous.get(0)),
                "/anon",
                "z",
                true,
                ""),
            new MountPoint("tmpfs", null, "", "/t2", "", true, ""),
            new MountPoint(
                "volume", anonymous.get(1), data(volumes, anonymous.get(1)), "/own", "", true, ""),
            new MountPoint(
                "volume",
                anonymous.get(2),
                data(volumes, anonymous.get(2)),
                "/data",
                "",
                true,
                ""));
    assertThat(mounts.points(host, List.of("/own"), null, anonymous))
        .as("with its image gone, the image's volumes are left out")
        .hasSize(5);
  }

  private static String data(Volumes volumes, String name) {
    return volumes.find(name).orElseThrow().data().toString();
  }

  private static ContainerSettings.Host host(
      List<String> binds, List<ContainerSettings.Mount> mounts, Map<String, String> tmpfs) {
    return ContainerSettings.Host.defaults("none", binds, mounts, tmpfs);
  }

  private static ImageConfig image(String... volumes) {
    return new ImageConfig(
        List.of(),
        List.of("sh"),
        List.of(),
        null,
        null,
        Map.of(),
        List.of(),
        null,
        null,
        List.of(volumes),
        List.of(),
        List.of());
  }
}
