package org.puente.cli.pki;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.puente.certs.PkiProfile;
import org.puente.certs.SampleManifest;
import org.puente.certs.SamplePki;
import org.puente.cli.exit.ExitCodes;
import org.puente.model.error.PuenteException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code puente pki generate}: writes a complete SAMPLE PKI of both countries to a folder. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generates root and issuing CAs, gateway signing, encryption, TLS and audit-signing certificates, agency,",
                "operator and auditor client certificates, CRLs, PKCS#12 keystores and truststores for US and MX.",
                "SAMPLE - NOT FOR PRODUCTION."})
public final class PkiGenerateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to write (created if missing)")
    Path out;

    @Option(names = "--profile", defaultValue = "ec-p256", paramLabel = "ec-p256|ec-p384|rsa-3072|ml-kem-768-ml-dsa-65|hybrid-p256-ml-kem-768-ml-dsa-65",
            description = "key algorithm profile (default: ${DEFAULT-VALUE})")
    String profile;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "read the keystore password from this environment variable; without it the SAMPLE password is used")
    String passwordEnv;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PkiProfile p;
        try {
            p = PkiProfile.fromCliName(profile);
        } catch (PuenteException e) {
            throw new ParameterException(spec.commandLine(), "--profile must be one of " + PkiProfile.cliNames());
        }
        char[] password = SamplePki.samplePassword();
        if (passwordEnv != null) {
            String value = System.getenv(passwordEnv);
            if (value == null || value.isEmpty()) {
                spec.commandLine().getErr().println("puente pki generate: environment variable " + passwordEnv + " is not set");
                return ExitCodes.INVALID;
            }
            password = value.toCharArray();
        }
        SampleManifest manifest = SamplePki.generate(p, Clock.systemUTC()).writeTo(out, password);
        spec.commandLine().getOut().printf("SAMPLE PKI (%s) for US and MX written to %s: %d files, manifest.json lists them.%n",
                p.cliName(), out, manifest.files().size());
        if (passwordEnv == null) {
            spec.commandLine().getOut().printf("Keystore password: the documented SAMPLE password \"%s\".%n", SamplePki.SAMPLE_PASSWORD);
        }
        return ExitCodes.OK;
    }
}
