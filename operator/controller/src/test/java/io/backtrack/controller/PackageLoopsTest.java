package io.backtrack.controller;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages of each module depend on each other one way: a package loop (say the controller's backup needing
 * retention while retention needs backup) fails the build, naming the classes that close it. Every package is a
 * slice of its own, the module's root package and nested ones (engine.postgres) included. The controller's tests
 * see all four modules (the agent and the contract are on their classpath), so the guard lives here once.
 */
class PackageLoopsTest {
    private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
            return "every package";
        }
    };

    @ParameterizedTest
    @ValueSource(strings = {"io.backtrack.contract", "io.backtrack.api", "io.backtrack.agent", "io.backtrack.controller"})
    void theModulesPackagesHaveNoLoops(String module) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(module);
        slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(classes);
    }
}
