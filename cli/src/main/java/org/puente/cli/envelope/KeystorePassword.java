package org.puente.cli.envelope;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import picocli.CommandLine.Option;

/**
 * Where a command gets a keystore password: a file (e.g. a mounted secret), the environment
 * variable {@code PUENTE_KEYSTORE_PASSWORD}, or an interactive prompt. Never a command-line value,
 * which every user of the machine could read with {@code ps}.
 */
public final class KeystorePassword {
    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File whose first line is the keystore password (default: $PUENTE_KEYSTORE_PASSWORD, "
                    + "else a prompt).")
    Path passwordFile;

    public char[] read(Path keystore) {
        if (passwordFile != null) {
            try {
                String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
                int end = text.indexOf('\n');
                return (end < 0 ? text : text.substring(0, end)).replace("\r", "").toCharArray();
            } catch (IOException e) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "cannot read " + passwordFile);
            }
        }
        String fromEnv = System.getenv(KeyMaterial.DEFAULT_PASSWORD_ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "no password for " + keystore + ": set "
                    + KeyMaterial.DEFAULT_PASSWORD_ENV + " or use --password-file (no terminal to prompt on)");
        }
        char[] typed = console.readPassword("Password for %s: ", keystore);
        if (typed == null) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "no password given for " + keystore);
        }
        return typed;
    }
}
