package org.puente.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/** The contract library stays free of transport, persistence and cryptography (DESIGN.md, module table). */
@AnalyzeClasses(packages = "org.puente.model", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule contract_has_no_camel_cxf_jdbc_or_crypto = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("org.apache.camel..", "org.apache.cxf..", "java.sql..", "javax.sql..",
                    "javax.crypto..", "java.security..", "org.bouncycastle..");

    @ArchTest
    static final ArchRule packages_are_free_of_cycles = slices().matching("org.puente.model.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule payload_rules_do_not_depend_on_the_validator = noClasses().that()
            .resideInAnyPackage("org.puente.model.validation.rules..", "org.puente.model.validation.domain..")
            .should().dependOnClassesThat().resideInAPackage("org.puente.model.validation");

    @ArchTest
    static final ArchRule no_generic_exceptions_are_thrown = GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
}
