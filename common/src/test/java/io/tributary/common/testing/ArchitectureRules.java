package io.tributary.common.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The package rules every module checks in a test of its own (the module rules — which module may
 * depend on which — are the Maven enforcer's, in the poms). Each module calls these on its root
 * package, so a cycle or a reach into another module's internals fails that module's build.
 *
 * <p>Plain ArchUnit on JUnit's own {@code @Test}: no ArchUnit test engine is involved, so the rules run
 * under whatever JUnit platform the build uses.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {}

    /** The production classes under {@code rootPackage} (test classes are left out). */
    public static JavaClasses productionClasses(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(rootPackage);
        if (classes.isEmpty()) {
            throw new IllegalStateException("no production classes found under " + rootPackage);
        }
        return classes;
    }

    /**
     * No two packages under {@code rootPackage} depend on each other, directly or through others. A
     * package's {@code internal} subpackages count as part of it: they implement its API (the API's
     * entry points construct them, they take the API's types), which is a layering of its own, not a
     * cycle between concepts.
     */
    public static ArchRule noPackageCycles(String rootPackage) {
        return slices().assignedFrom(packagesWithTheirInternals(rootPackage))
                .should()
                .beFreeOfCycles()
                .because("a package is a concept: concepts layer, they do not lean on each other in a circle");
    }

    private static SliceAssignment packagesWithTheirInternals(String rootPackage) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String name = javaClass.getPackageName();
                if (!name.equals(rootPackage) && !name.startsWith(rootPackage + ".")) {
                    return SliceIdentifier.ignore();
                }
                int internal = name.indexOf(".internal");
                return SliceIdentifier.of(internal < 0 ? name : name.substring(0, internal));
            }

            @Override
            public String getDescription() {
                return "packages under " + rootPackage + " (each with its internal subpackages)";
            }
        };
    }

    /** Nothing under {@code rootPackage} uses the non-API packages of the common library. */
    public static ArchRule noUseOfCommonInternals(String rootPackage) {
        return noClasses()
                .that()
                .resideInAPackage(rootPackage + "..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.tributary.common..internal..")
                .because("tributary-common's internal packages may change without notice");
    }
}
