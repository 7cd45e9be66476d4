package io.tributary.metadata;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package structure of the metadata-service: no two packages depend on each other, directly or
 * around a loop, and the root package (the Spring Boot application) is on top, referenced by none.
 */
class MetadataServiceArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tributary.metadata");

    @Test
    void shouldHaveNoCycleBetweenPackages() {
        slices().matching("io.tributary.metadata.(**)")
                .should()
                .beFreeOfCycles()
                .check(CLASSES);
    }

    @Test
    void shouldKeepTheApplicationPackageOnTop() {
        // "io.tributary.metadata.(**)" leaves the root package out, so its edges are checked here
        noClasses()
                .that()
                .resideOutsideOfPackage("io.tributary.metadata")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.tributary.metadata")
                .check(CLASSES);
    }
}
