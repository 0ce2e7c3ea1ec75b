package com.backlogmcp.auth;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The service's feature packages depend on each other without a loop, so each can be read, tested and moved on its
 * own (docs/architecture.md §1). A new dependency that closes a cycle fails here, naming the classes involved.
 */
class PackageCyclesTest {

    @Test
    void packagesWhenCompiledThenNoCycleBetweenThem() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.backlogmcp.auth");
        slices().matching("com.backlogmcp.auth.(*)..").should().beFreeOfCycles().check(classes);
    }
}
