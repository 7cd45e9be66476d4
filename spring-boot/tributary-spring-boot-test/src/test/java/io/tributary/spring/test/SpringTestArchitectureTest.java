package io.tributary.spring.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The embedded cluster and the containers are separate concepts over a shared internal package:
 * no cycle, and the containers (which need Testcontainers, an optional dependency) are never
 * reached from the embedded cluster, which must work without it.
 */
class SpringTestArchitectureTest {

    private static final JavaClasses TEST_SUPPORT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tributary.spring.test");

    @Test
    void shouldHaveNoCycleBetweenThePackages() {
        slices().matching("io.tributary.spring.(**)").should().beFreeOfCycles().check(TEST_SUPPORT);
    }

    @Test
    void shouldKeepTestcontainersOutOfTheEmbeddedCluster() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.tributary.spring.test.testcontainers..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.testcontainers..", "io.tributary.spring.test.testcontainers..")
                .check(TEST_SUPPORT);
    }
}
