package org.puente.system;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of DESIGN.md and CONVENTIONS.md over every module's main code (this
 * module sees them all): no package cycles anywhere; the contract and the envelope know nothing of
 * Camel, CXF or JDBC; the audit log and the engine know nothing of Camel or CXF; the command line
 * uses the audit module, never the engine or the Camel adapter; only the sample PKI generator and
 * the key-material component touch private keys.
 */
@AnalyzeClasses(packages = "org.puente", importOptions = {ImportOption.DoNotIncludeTests.class,
        ArchitectureRulesTest.NoTestJars.class})
class ArchitectureRulesTest {
    /** The engine's test fixtures reach this module as a test jar: they are tests, not main code. */
    static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("-tests.jar") && !location.contains("/test-classes/");
        }
    }

    /** By name: library classes are not resolved (archunit.properties), so their hierarchies are unknown. */
    private static final com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> PRIVATE_KEYS =
            com.tngtech.archunit.base.DescribedPredicate.describe("private key types", c ->
                    c.getName().equals("java.security.PrivateKey") || c.getName().equals("java.security.KeyPair")
                            || (c.getPackageName().equals("java.security.interfaces") && c.getSimpleName().contains("PrivateKey"))
                            || c.isAssignableTo(java.security.PrivateKey.class));

    /** Every package of every module, each a slice: none may take part in a cycle (the generated SOAP classes aside). */
    @ArchTest
    static final ArchRule no_package_takes_part_in_a_cycle = slices().matching("org.puente.(**)")
            .should().beFreeOfCycles()
            .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.describe("generated SOAP classes",
                    c -> c.getPackageName().startsWith("org.puente.routes.soap")),
                    com.tngtech.archunit.base.DescribedPredicate.alwaysTrue());

    @ArchTest
    static final ArchRule contract_and_envelope_import_no_camel_cxf_or_jdbc = noClasses()
            .that().resideInAnyPackage("org.puente.model..", "org.puente.envelope..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "org.apache.cxf..", "java.sql..",
                    "javax.sql..", "org.sqlite..", "org.postgresql..", "org.flywaydb..");

    @ArchTest
    static final ArchRule the_engine_and_the_audit_log_import_no_camel_or_cxf = noClasses()
            .that().resideInAnyPackage("org.puente.engine..", "org.puente.audit..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "org.apache.cxf..", "jakarta.ws..",
                    "jakarta.xml.ws..", "io.micrometer..", "org.puente.routes..", "org.puente.cli..");

    @ArchTest
    static final ArchRule the_audit_log_does_not_depend_on_the_engine = noClasses()
            .that().resideInAnyPackage("org.puente.audit..")
            .should().dependOnClassesThat().resideInAnyPackage("org.puente.engine..");

    @ArchTest
    static final ArchRule the_command_line_uses_the_audit_module_not_the_engine = noClasses()
            .that().resideInAnyPackage("org.puente.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("org.puente.engine..", "org.apache.camel..",
                    "org.apache.cxf..");

    @ArchTest
    static final ArchRule only_key_material_and_the_sample_pki_touch_private_keys = noClasses()
            .that().resideOutsideOfPackages("org.puente.certs..", "org.puente.envelope.keys..")
            .should().dependOnClassesThat(PRIVATE_KEYS);

    @ArchTest
    static final ArchRule gateways_do_not_depend_on_the_command_line = noClasses()
            .that().resideInAnyPackage("org.puente.routes..", "org.puente.engine..", "org.puente.audit..",
                    "org.puente.envelope..", "org.puente.model..")
            .should().dependOnClassesThat().resideInAnyPackage("org.puente.cli..");

    @ArchTest
    static final ArchRule the_contract_depends_on_no_other_module = noClasses()
            .that().resideInAnyPackage("org.puente.model..")
            .should().dependOnClassesThat().resideInAnyPackage("org.puente.envelope..", "org.puente.audit..",
                    "org.puente.engine..", "org.puente.routes..");
}
