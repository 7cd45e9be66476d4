package io.tributary.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The broker's packages form no cycle: {@code replication} implements the small interfaces
 * {@code partition} declares ({@code IsrWriter}, {@code FollowerFetchController}), never the
 * other way round.
 */
class BrokerArchitectureTest {

    private static final JavaClasses BROKER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tributary.broker");

    @Test
    void shouldHaveNoCycleBetweenBrokerPackages() {
        slices().matching("io.tributary.broker.(*)..").should().beFreeOfCycles().check(BROKER);
    }

    @Test
    void shouldKeepPartitionFreeOfReplication() {
        noClasses()
                .that()
                .resideInAPackage("io.tributary.broker.partition..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.tributary.broker.replication..")
                .check(BROKER);
    }
}
