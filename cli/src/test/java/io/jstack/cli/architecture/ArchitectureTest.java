package io.jstack.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape README's design section describes, checked on the main classes of every module: no
 * module reaches into another's {@code internal} packages, and Jackson's tree types stay in the
 * packages that speak a wire format.
 */
class ArchitectureTest {
  /** The root package of each module. */
  static final List<String> MODULES =
      List.of(
          "io.jstack.compose",
          "io.jstack.planner",
          "io.jstack.engine",
          "io.jstack.runtime",
          "io.jstack.cli");

  /**
   * Where Jackson's tree types belong: the two Docker API packages (client and server), the OCI
   * formats (image manifests and configs, runtime bundles), and Swarm's service specs (made as the
   * manager keeps and compares them: Docker's JSON, field by field as docker stack makes it).
   */
  static final Set<String> WIRE_PACKAGES =
      Set.of(
          "io.jstack.engine.docker",
          "io.jstack.runtime.api",
          "io.jstack.runtime.image",
          "io.jstack.runtime.container.internal",
          "io.jstack.planner.swarm");

  /**
   * Packages that still read or write untyped JSON, each to lose it. A package that no longer uses
   * the tree types must leave this list, so that it only shrinks.
   */
  static final Set<String> NOT_YET_TYPED = Set.of("io.jstack.cli");

  static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Test support (the fake engine, fixtures), which no shipped module depends on.
            .withImportOption(location -> !location.contains("/engine-testing/"))
            .importPackages("io.jstack");
    // The import itself is checked: every module's classes are there.
    for (String m : MODULES) {
      assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(m + ".")))
          .as(m)
          .isTrue();
    }
  }

  @Test
  void noModule_usesAnothersInternalPackages() {
    for (String m : MODULES) {
      for (String other : MODULES) {
        if (!m.equals(other)) {
          noClasses()
              .that()
              .resideInAPackage(m + "..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage(other + "..internal..")
              .because(other + "'s internal packages are behind its API")
              .check(classes);
        }
      }
    }
  }

  @Test
  void jacksonTreeTypes_onlyInWirePackages_andTheListOfUntypedOnesOnlyShrinks() {
    Set<String> users = new TreeSet<>();
    for (JavaClass c : classes) {
      boolean uses =
          c.getDirectDependenciesFromSelf().stream()
              .anyMatch(
                  d ->
                      d.getTargetClass().getName().equals("com.fasterxml.jackson.databind.JsonNode")
                          || d.getTargetClass()
                              .getPackageName()
                              .equals("com.fasterxml.jackson.databind.node"));
      if (uses) {
        users.add(c.getPackageName());
      }
    }
    Set<String> outside = new TreeSet<>(users);
    outside.removeIf(
        p -> WIRE_PACKAGES.stream().anyMatch(w -> p.equals(w) || p.startsWith(w + ".")));
    assertThat(outside)
        .as("packages using JsonNode outside the wire packages")
        .isSubsetOf(NOT_YET_TYPED);
    assertThat(NOT_YET_TYPED)
        .as("packages listed as not yet typed that no longer use JsonNode: take them off the list")
        .allMatch(users::contains);
  }
}
