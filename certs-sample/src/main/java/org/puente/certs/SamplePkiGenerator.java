package org.puente.certs;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

import org.puente.model.error.PuenteException;

/**
 * The command line of the sample PKI generator ({@code java -jar certs-sample.jar --out DIR}, or
 * {@code exec:java} from Maven); {@code puente pki generate} offers the same through the library.
 *
 * <p>Exit codes follow the {@code puente} command: 0 success, 1 invalid input (an unreadable
 * password variable, an unwritable folder), 2 usage error.
 */
public final class SamplePkiGenerator {
    static final int OK = 0;
    static final int INVALID_INPUT = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            Usage: java -jar certs-sample.jar --out DIR [--profile NAME] [--password-env VAR]
            Generates a complete SAMPLE PKI for both countries (US and MX) into DIR.
            SAMPLE - NOT FOR PRODUCTION: real deployments use their own PKI.
              --out DIR           folder to write (created if missing; files of the same names are replaced)
              --profile NAME      %s (default ec-p256)
              --password-env VAR  read the PKCS#12 password from environment variable VAR
                                  (e.g. %s); without it the SAMPLE password "%s" is used
              --help              this text
            """.formatted(PkiProfile.cliNames(), SamplePki.PASSWORD_ENVIRONMENT_VARIABLE, SamplePki.SAMPLE_PASSWORD);

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    SamplePkiGenerator(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int status = new SamplePkiGenerator(System.getenv(), System.out, System.err).run(args);
        if (status != OK) {
            System.exit(status);
        }
    }

    int run(String[] args) {
        Path outDir = null;
        String profileName = PkiProfile.EC_P256.cliName();
        String passwordVariable = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if ("--help".equals(option) || "-h".equals(option)) {
                out.print(USAGE_TEXT);
                return OK;
            }
            if (!option.equals("--out") && !option.equals("--profile") && !option.equals("--password-env")) {
                return usage("unknown option " + option);
            }
            if (i + 1 >= args.length || args[i + 1].isBlank()) {
                return usage(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--out" -> outDir = Path.of(value);
                case "--profile" -> profileName = value;
                default -> passwordVariable = value;
            }
        }
        if (outDir == null) {
            return usage("--out DIR is required");
        }
        PkiProfile profile;
        try {
            profile = PkiProfile.fromCliName(profileName);
        } catch (PuenteException e) {
            return usage(e.getMessage());
        }
        return generate(outDir, profile, passwordVariable);
    }

    private int generate(Path outDir, PkiProfile profile, String passwordVariable) {
        char[] password;
        if (passwordVariable == null) {
            password = SamplePki.samplePassword();
        } else {
            String value = environment.get(passwordVariable);
            if (value == null || value.isEmpty()) {
                // Name the variable, never a value.
                err.println("error: environment variable " + passwordVariable + " is not set or empty;"
                        + " it must hold the keystore password");
                return INVALID_INPUT;
            }
            password = value.toCharArray();
        }
        try {
            SamplePki pki = SamplePki.generate(profile, Clock.systemUTC());
            SampleManifest manifest = pki.writeTo(outDir, password);
            out.println("SAMPLE PKI - NOT FOR PRODUCTION: profile " + profile.cliName() + ", "
                    + manifest.files().size() + " files written to " + outDir
                    + " (listed in " + outDir.resolve(SampleManifest.FILE_NAME) + ")");
            out.println(passwordVariable == null
                    ? "PKCS#12 password: the SAMPLE password \"" + SamplePki.SAMPLE_PASSWORD
                            + "\" (use --password-env VAR to give your own)"
                    : "PKCS#12 password: taken from environment variable " + passwordVariable);
            out.println("Private keys are also written unencrypted (*.key.pem): SAMPLE material only.");
            return OK;
        } catch (PuenteException e) {
            err.println("error: " + e.getMessage());
            return INVALID_INPUT;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private int usage(String problem) {
        err.println("error: " + problem);
        err.print(USAGE_TEXT);
        return USAGE;
    }
}
