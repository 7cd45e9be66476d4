package io.tributary.storage;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The disk layer stays a library: no Spring, no network, no other Tributary module but common, and
 * no package cycles. (Storage's tests do not use common's test-jar, so the rules are spelled out.)
 */
class StorageArchitectureTest {

    private static final JavaClasses STORAGE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.tributary.storage");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.tributary.storage.(**)").should().beFreeOfCycles().check(STORAGE);
    }

    @Test
    void dependsOnNoTributaryModuleButCommon() {
        noClasses()
                .should()
                .dependOnClassesThat(resideInAPackage("io.tributary..")
                        .and(not(resideInAnyPackage("io.tributary.storage..", "io.tributary.common.."))))
                .because("storage may use tributary-common and nothing else of ours")
                .check(STORAGE);
    }

    @Test
    void usesNeitherSpringNorTheNetwork() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "io.netty..", "org.apache.curator..", "java.net..")
                .because("storage is the broker's disk layer, usable and testable on its own")
                .check(STORAGE);
    }
}
