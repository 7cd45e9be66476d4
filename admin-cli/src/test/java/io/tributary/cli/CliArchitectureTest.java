package io.tributary.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package structure of the {@code tributary} command: the root package holds the root command
 * and references the verbs; the verbs' packages and the shared support below it never reference
 * the root package nor each other in a cycle; and the CLI talks to the cluster only through the
 * Kafka protocol and the REST API, never through a server module's classes.
 */
class CliArchitectureTest {

    private static final JavaClasses CLI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tributary.cli");

    @Test
    void shouldHaveNoCycleBetweenTheSubpackages() {
        slices().matching("io.tributary.cli.(**)").should().beFreeOfCycles().check(CLI);
    }

    @Test
    void shouldKeepTheRootCommandPackageOnTop() {
        // "io.tributary.cli.(**)" leaves the root package out, so its edges are checked here
        noClasses()
                .that()
                .resideOutsideOfPackage("io.tributary.cli")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.tributary.cli")
                .because("the root command references every verb, so no verb may reference it back")
                .check(CLI);
    }

    @Test
    void shouldNotDependOnAnyServerModule() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.tributary.broker..",
                        "io.tributary.metadata..",
                        "io.tributary.group..",
                        "io.tributary.storage..")
                .check(CLI);
    }
}
