package io.tributary.spring.autoconfigure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * One package per concept (discovery, topics, health, metrics) over a root package of shared
 * settings, with no cycle between them; and the starter stays a client: nothing of the services
 * or their shared library reaches an application's classpath through it.
 */
class AutoconfigureArchitectureTest {

    private static final JavaClasses STARTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tributary.spring.autoconfigure");

    @Test
    void shouldHaveNoCycleBetweenThePackages() {
        slices().matching("io.tributary.spring.(**)").should().beFreeOfCycles().check(STARTER);
    }

    @Test
    void shouldKeepTheRootPackageBelowTheConcepts() {
        noClasses()
                .that()
                .resideInAPackage("io.tributary.spring.autoconfigure")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.tributary.spring.autoconfigure.*..")
                .check(STARTER);
    }

    @Test
    void shouldNotDependOnTheServicesOrTheirLibraries() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.tributary.common..",
                        "io.tributary.broker..",
                        "io.tributary.metadata..",
                        "io.tributary.group..",
                        "io.tributary.storage..")
                .check(STARTER);
    }
}
