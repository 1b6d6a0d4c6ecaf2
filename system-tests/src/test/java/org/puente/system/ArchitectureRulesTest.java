package org.puente.system;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of DESIGN.md and CONVENTIONS.md over every module's main code (this
 * module sees them all): the contract and the envelope know nothing of Camel, CXF or JDBC; only
 * the sample PKI generator and the key-material component touch private keys; routes never
 * depend on the command line.
 */
@AnalyzeClasses(packages = "org.puente", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureRulesTest {
    /** By name: library classes are not resolved (archunit.properties), so their hierarchies are unknown. */
    private static final com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> PRIVATE_KEYS =
            com.tngtech.archunit.base.DescribedPredicate.describe("private key types", c ->
                    c.getName().equals("java.security.PrivateKey") || c.getName().equals("java.security.KeyPair")
                            || (c.getPackageName().equals("java.security.interfaces") && c.getSimpleName().contains("PrivateKey"))
                            || c.isAssignableTo(java.security.PrivateKey.class));


    @ArchTest
    static final ArchRule contract_and_envelope_import_no_camel_cxf_or_jdbc = noClasses()
            .that().resideInAnyPackage("org.puente.model..", "org.puente.envelope..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "org.apache.cxf..", "java.sql..",
                    "javax.sql..", "org.h2..", "org.postgresql..", "org.flywaydb..");

    @ArchTest
    static final ArchRule only_key_material_and_the_sample_pki_touch_private_keys = noClasses()
            .that().resideOutsideOfPackages("org.puente.certs..", "org.puente.envelope.keys..")
            .should().dependOnClassesThat(PRIVATE_KEYS);



    @ArchTest
    static final ArchRule the_engine_does_not_depend_on_the_command_line = noClasses()
            .that().resideInAnyPackage("org.puente.routes..", "org.puente.envelope..", "org.puente.model..")
            .should().dependOnClassesThat().resideInAnyPackage("org.puente.cli..");

    @ArchTest
    static final ArchRule the_dependency_direction_is_routes_envelope_model = noClasses()
            .that().resideInAnyPackage("org.puente.model..")
            .should().dependOnClassesThat().resideInAnyPackage("org.puente.envelope..", "org.puente.routes..");

    @ArchTest
    static final ArchRule exchange_services_have_no_camel_imports = noClasses()
            .that().resideInAnyPackage("org.puente.routes.exchange..", "org.puente.routes.store..",
                    "org.puente.routes.config..", "org.puente.routes.api..", "org.puente.routes.audit..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..");
}
