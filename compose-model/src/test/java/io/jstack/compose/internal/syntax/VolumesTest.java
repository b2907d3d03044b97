package io.jstack.compose.internal.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.jstack.compose.BindOptions;
import io.jstack.compose.VolumeMount;
import io.jstack.compose.VolumeOptions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of compose-go {@code format/volume_test.go}, plus the target cleaning of {@code
 * transform/volume.go} (cases of Go's {@code path/path_test.go}).
 */
class VolumesTest {

  /** An anonymous volume, as a spec of three bytes or more gives it. */
  private static VolumeMount anonymous(String target) {
    return new VolumeMount(
        "volume", null, target, false, null, null, VolumeOptions.NONE, null, null);
  }

  /** An anonymous volume from a spec of one or two bytes: no volume options. */
  private static VolumeMount shortAnonymous(String target) {
    return new VolumeMount("volume", null, target, false, null, null, null, null, null);
  }

  private static VolumeMount bind(String source, String target) {
    return bind(source, target, false, null, null);
  }

  private static VolumeMount bind(
      String source, String target, boolean readOnly, String propagation, String selinux) {
    return new VolumeMount(
        "bind",
        source,
        target,
        readOnly,
        null,
        new BindOptions(propagation, true, null, selinux),
        null,
        null,
        null);
  }

  private static VolumeMount named(String source, String target) {
    return new VolumeMount(
        "volume", source, target, false, null, null, VolumeOptions.NONE, null, null);
  }

  static Stream<Arguments> valid() {
    VolumeOptions nocopy = new VolumeOptions(null, true, null);
    return Stream.of(
        // TestParseVolumeAnonymousVolume
        arguments("/path", anonymous("/path")),
        arguments("/path/foo", anonymous("/path/foo")),
        // TestParseVolumeAnonymousVolumeWindows
        arguments("C:\\path", anonymous("C:\\path")),
        arguments("Z:\\path\\foo", anonymous("Z:\\path\\foo")),
        // TestParseVolumeShortVolumes
        arguments(".", shortAnonymous(".")),
        arguments("/a", shortAnonymous("/a")),
        // TestParseVolumeBindMount
        arguments("./foo:/target", bind("./foo", "/target")),
        arguments("~/thing:/target", bind("~/thing", "/target")),
        arguments("../other:/target", bind("../other", "/target")),
        arguments("/foo:/target", bind("/foo", "/target")),
        arguments("/home/user:/target", bind("/home/user", "/target")),
        // TestParseVolumeRelativeBindMountWindows
        arguments("./foo:d:\\target", bind("./foo", "d:\\target")),
        arguments("~/thing:d:\\target", bind("~/thing", "d:\\target")),
        arguments("../other:d:\\target", bind("../other", "d:\\target")),
        arguments("D:\\path:d:\\target", bind("D:\\path", "d:\\target")),
        arguments("/home/user:d:\\target", bind("/home/user", "d:\\target")),
        // TestParseVolumeWithBindOptions
        arguments("/source:/target:slave", bind("/source", "/target", false, "slave", null)),
        // TestParseVolumeWithBindOptionsSELinuxShared, ...SELinuxPrivate
        arguments("/source:/target:ro,z", bind("/source", "/target", true, null, "z")),
        arguments("/source:/target:ro,Z", bind("/source", "/target", true, null, "Z")),
        // TestParseVolumeWithBindOptionsWindows
        arguments(
            "C:\\source\\foo:D:\\target:ro,rprivate",
            bind("C:\\source\\foo", "D:\\target", true, "rprivate", null)),
        // TestParseVolumeWithInvalidVolumeOptions: unknown options are ignored
        arguments("name:/target:bogus", named("name", "/target")),
        // TestParseVolumeWithVolumeOptions
        arguments(
            "name:/target:nocopy",
            new VolumeMount("volume", "name", "/target", false, null, null, nocopy, null, null)),
        // TestParseVolumeWithReadOnly
        arguments("./foo:/target:ro", bind("./foo", "/target", true, null, null)),
        arguments("/home/user:/target:ro", bind("/home/user", "/target", true, null, null)),
        // TestParseVolumeWithRW
        arguments("./foo:/target:rw", bind("./foo", "/target")),
        arguments("/home/user:/target:rw", bind("/home/user", "/target")),
        // TestParseVolumeWindowsNamedPipe
        arguments(
            "\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\inside",
            bind("\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\inside")),
        // TestParseVolumeSplitCases (which checks only whether a source was found)
        arguments("C:\\foo:d:", bind("C:\\foo", "d:")),
        arguments("/foo:/bar:ro", bind("/foo", "/bar", true, null, null)),
        arguments("C:\\foo\\:/foo", bind("C:\\foo\\", "/foo")),
        arguments("d:\\", anonymous("d:\\")),
        arguments("d:", shortAnonymous("d:")),
        arguments("d:\\path", anonymous("d:\\path")),
        arguments("d:\\path with space", anonymous("d:\\path with space")),
        arguments("d:\\pathandmode:rw", bind("d:\\pathandmode", "rw")),
        arguments("c:\\:d:\\", bind("c:\\", "d:\\")),
        arguments("c:\\windows\\:d:", bind("c:\\windows\\", "d:")),
        arguments("c:\\windows:d:\\s p a c e", bind("c:\\windows", "d:\\s p a c e")),
        arguments("c:\\windows:d:\\s p a c e:RW", bind("c:\\windows", "d:\\s p a c e")),
        arguments(
            "c:\\program files:d:\\s p a c e i n h o s t d i r",
            bind("c:\\program files", "d:\\s p a c e i n h o s t d i r")),
        arguments("0123456789name:d:", named("0123456789name", "d:")),
        arguments("MiXeDcAsEnAmE:d:", named("MiXeDcAsEnAmE", "d:")),
        arguments("name:D:", named("name", "D:")),
        arguments("name:D::rW", named("name", "D:")),
        arguments("name:D::RW", named("name", "D:")),
        arguments(
            "c:/:d:/forward/slashes/are/good/too", bind("c:/", "d:/forward/slashes/are/good/too")),
        arguments("c:\\Windows", anonymous("c:\\Windows")),
        arguments("c:\\Program Files (x86)", anonymous("c:\\Program Files (x86)")),
        arguments("..\\", anonymous("..\\")),
        arguments("c:\\:..\\", bind("c:\\", "..\\")),
        arguments("c:\\:d:\\:xyzzy", bind("c:\\", "d:\\")),
        arguments("/tmp/x/y:/foo/x/y", bind("/tmp/x/y", "/foo/x/y")),
        // TestParseVolumeWithVariableDefaultValue
        arguments(
            "/tmp:/tmp/${BUG_HERE:-DEFAULT}/path", bind("/tmp", "/tmp/${BUG_HERE:-DEFAULT}/path")),
        arguments("/tmp/${VAR:-default}:/target", bind("/tmp/${VAR:-default}", "/target")),
        arguments(
            "/src/${SRC:-default}:/dst/${DST:-value}",
            bind("/src/${SRC:-default}", "/dst/${DST:-value}")),
        arguments("/tmp:/tmp/${VAR:-}/path", bind("/tmp", "/tmp/${VAR:-}/path")),
        arguments(
            "/tmp:/tmp/${VAR:-default/path/value}/file",
            bind("/tmp", "/tmp/${VAR:-default/path/value}/file")),
        arguments(
            "/tmp:/tmp/${VAR1:-val1}/${VAR2:-val2}/path",
            bind("/tmp", "/tmp/${VAR1:-val1}/${VAR2:-val2}/path")),
        arguments(
            "/tmp:/tmp/${VAR:-default}/path:ro",
            bind("/tmp", "/tmp/${VAR:-default}/path", true, null, null)),
        arguments(
            "/tmp:/tmp/${WORKS_AS_EXPECTED}/path", bind("/tmp", "/tmp/${WORKS_AS_EXPECTED}/path")),
        arguments(
            "/tmp:/tmp/${VAR1:-default}/${VAR2}/path",
            bind("/tmp", "/tmp/${VAR1:-default}/${VAR2}/path")),
        arguments("/tmp:/tmp/${TIME:-12:30:45}/path", bind("/tmp", "/tmp/${TIME:-12:30:45}/path")),
        arguments(
            "myvolume:/data/${VAR:-default}/path", named("myvolume", "/data/${VAR:-default}/path")),
        arguments(
            "/src:/target/${VAR:-default}/path:slave,ro",
            bind("/src", "/target/${VAR:-default}/path", true, "slave", null)),
        // TestParseVolumeWithVariableDefaultValueWindows
        arguments(
            "C:\\source:D:\\target\\${VAR:-default}\\path",
            bind("C:\\source", "D:\\target\\${VAR:-default}\\path")),
        arguments(
            "C:\\src\\${VAR:-default}:D:\\target", bind("C:\\src\\${VAR:-default}", "D:\\target")),
        arguments(
            "C:\\source:D:\\${VAR:-default}\\path:ro",
            bind("C:\\source", "D:\\${VAR:-default}\\path", true, null, null)),
        // TestParseVolumeWithNestedBraces
        arguments("/tmp:/tmp/${VAR:-{default}}/path", bind("/tmp", "/tmp/${VAR:-{default}}/path")),
        arguments("/tmp:/tmp/path/${VAR:-default}", bind("/tmp", "/tmp/path/${VAR:-default}")),
        arguments("/tmp:/${VAR:-default}/path", bind("/tmp", "/${VAR:-default}/path")),
        // more options
        arguments("/a:/b:rw,z", bind("/a", "/b", false, null, "z")),
        arguments("/a:/b:Z", bind("/a", "/b", false, null, "Z")),
        arguments("/a:/b:rshared", bind("/a", "/b", false, "rshared", null)),
        arguments("/a:/b:rslave", bind("/a", "/b", false, "rslave", null)),
        arguments("/a:/b:shared", bind("/a", "/b", false, "shared", null)),
        arguments("/a:/b:private", bind("/a", "/b", false, "private", null)),
        arguments("/a:/b:ro,rw", bind("/a", "/b")),
        arguments("/a:/b:rw,ro", bind("/a", "/b", true, null, null)),
        arguments("/a:/b:ro,", bind("/a", "/b", true, null, null)),
        arguments("/a:/b:shared,slave,z,Z", bind("/a", "/b", false, "slave", "Z")),
        // consistency words are ignored by compose-go, as any unknown option
        arguments("./src:/app:cached", bind("./src", "/app")),
        arguments("./src:/app:ro,delegated", bind("./src", "/app", true, null, null)),
        arguments("data:/app:consistent", named("data", "/app")),
        // nocopy on a bind and bind options on a volume keep both option sets
        arguments(
            "./a:/b:nocopy",
            new VolumeMount(
                "bind",
                "./a",
                "/b",
                false,
                null,
                new BindOptions(null, true, null, null),
                nocopy,
                null,
                null)),
        arguments(
            "data:/b:ro,z,rslave",
            new VolumeMount(
                "volume",
                "data",
                "/b",
                true,
                null,
                new BindOptions("rslave", false, null, "z"),
                VolumeOptions.NONE,
                null,
                null)),
        // sources: variables, home, names
        arguments("${VOLUME}:/data", named("${VOLUME}", "/data")),
        arguments("~:/home", bind("~", "/home")),
        arguments("~/x:/y", bind("~/x", "/y")),
        arguments("my-volume_1.0:/data", named("my-volume_1.0", "/data")),
        arguments("a:b", anonymous("a:b")),
        // byte length decides the short form: "é" is two bytes, "éa" three
        arguments("\u00e9", shortAnonymous("\u00e9")),
        arguments("\u00e9a", anonymous("\u00e9a")),
        // transform/volume.go cleans the target
        arguments("data:/data/", named("data", "/data")),
        arguments("./a:/b/./c/../d//e", bind("./a", "/b/d/e")),
        arguments("/data/", anonymous("/data")),
        arguments("a/", shortAnonymous("a")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("valid")
  void parseShort_givesComposeMount(String spec, VolumeMount expected) {
    assertThat(Volumes.parseShort(spec)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // TestParseVolumeInvalidEmptySpec, TestParseVolumeSplitCases ``
        "''|invalid volume \"\": the spec is empty",
        // TestParseVolumeTooManyColons
        "/foo:/foo:ro:foo|invalid volume \"/foo:/foo:ro:foo\": too many colons (expected"
            + " [SOURCE:]TARGET[:OPTIONS])",
        // TestParseVolumeMissingSource
        ":foo|invalid volume \":foo\": empty section between colons (expected"
            + " [SOURCE:]TARGET[:OPTIONS])",
        "/foo::ro|invalid volume \"/foo::ro\": empty section between colons (expected"
            + " [SOURCE:]TARGET[:OPTIONS])",
        // TestParseVolumeInvalidSections
        "/foo::rw|invalid volume \"/foo::rw\": empty section between colons (expected"
            + " [SOURCE:]TARGET[:OPTIONS])",
        // TestParseVolumeSplitCases
        ":C:\\foo:d:|invalid volume \":C:\\foo:d:\": empty section between colons (expected"
            + " [SOURCE:]TARGET[:OPTIONS])",
        // more
        "name:|invalid volume \"name:\": empty section between colons (expected"
            + " [SOURCE:]TARGET[:OPTIONS])",
        "/a:/b:|invalid volume \"/a:/b:\": empty section between colons (expected"
            + " [SOURCE:]TARGET[:OPTIONS])",
        "/a:/b:ro:|invalid volume \"/a:/b:ro:\": too many colons (expected"
            + " [SOURCE:]TARGET[:OPTIONS])",
        "/a:/b/${X|invalid volume \"/a:/b/${X\": \"${\" is not closed by \"}\"",
      })
  void parseShort_rejectsWithAMessage(String spec, String message) {
    assertThatThrownBy(() -> Volumes.parseShort(spec))
        .isInstanceOf(SyntaxException.class)
        .hasMessage(message);
  }

  @Test
  void isFilePath_needsAnAsciiColonAfterTheFirstLetter() {
    // TestIsFilePath
    assertThat(Volumes.isFilePath("a\u754c")).isFalse();
    assertThat(Volumes.isFilePath("\u00e9:x")).isTrue();
    assertThat(Volumes.isFilePath("1:x")).isFalse();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
    // Go's path/path_test.go cleantests
    "'', .",
    "abc, abc",
    "abc/def, abc/def",
    "a/b/c, a/b/c",
    "., .",
    ".., ..",
    "../.., ../..",
    "../../abc, ../../abc",
    "/abc, /abc",
    "/, /",
    "abc/, abc",
    "abc/def/, abc/def",
    "a/b/c/, a/b/c",
    "./, .",
    "../, ..",
    "../../, ../..",
    "/abc/, /abc",
    "abc//def//ghi, abc/def/ghi",
    "//abc, /abc",
    "///abc, /abc",
    "//abc//, /abc",
    "abc//, abc",
    "abc/./def, abc/def",
    "/./abc/def, /abc/def",
    "abc/., abc",
    "abc/def/ghi/../jkl, abc/def/jkl",
    "abc/def/../ghi/../jkl, abc/jkl",
    "abc/def/.., abc",
    "abc/def/../.., .",
    "/abc/def/../.., /",
    "abc/def/../../.., ..",
    "/abc/def/../../.., /",
    "abc/def/../../../ghi/jkl/../../../mno, ../../mno",
    "abc/./../def, def",
    "abc//./../def, def",
    "abc/../../././../def, ../../def",
    // backslashes are not separators
    "C:\\a\\..\\b, C:\\a\\..\\b",
  })
  void cleanTarget_isGoPathClean(String path, String expected) {
    assertThat(Volumes.cleanTarget(path)).isEqualTo(expected);
  }
}
