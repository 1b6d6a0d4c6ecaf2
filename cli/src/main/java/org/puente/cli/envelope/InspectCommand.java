package org.puente.cli.envelope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.puente.cli.exit.ExitCodes;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.EnvelopeInspector;
import org.puente.envelope.Fingerprints;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code puente envelope inspect}: what an envelope holds, seen from outside, without any key. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show content types, recipients, algorithms and sizes of an envelope (no key needed).")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "E.der", description = "The envelope.")
    Path envelope;
    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "ec-p256-aes256gcm",
            description = "Profile to check the algorithms against (default ec-p256-aes256gcm).")
    String profile;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            byte[] bytes = Files.readAllBytes(envelope);
            EnvelopeInspector.Description d = EnvelopeInspector.describe(bytes, AlgorithmProfile.fromName(profile));
            var w = spec.commandLine().getOut();
            w.println(envelope + " (sha256 " + Fingerprints.hex(Fingerprints.sha256(bytes)) + ")");
            d.lines().forEach(line -> w.println("  " + line));
            return d.acceptableToProfile() ? ExitCodes.OK : ExitCodes.INVALID;
        } catch (IOException e) {
            return Failures.report(spec.commandLine().getErr(), new UncheckedIOException(e));
        } catch (RuntimeException e) {
            return Failures.report(spec.commandLine().getErr(), e);
        }
    }
}
