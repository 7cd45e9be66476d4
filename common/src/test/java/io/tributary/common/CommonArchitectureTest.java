package io.tributary.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.tributary.common.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

class CommonArchitectureTest {

    private static final JavaClasses COMMON = ArchitectureRules.productionClasses("io.tributary.common");

    @Test
    void packagesAreFreeOfCycles() {
        ArchitectureRules.noPackageCycles("io.tributary.common").check(COMMON);
    }

    @Test
    void commonKnowsNoOtherModule() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.tributary.storage..",
                        "io.tributary.broker..",
                        "io.tributary.metadata..",
                        "io.tributary.group..",
                        "io.tributary.cli..")
                .because("tributary-common is the bottom of the module graph")
                .check(COMMON);
    }
}
