package org.puente.cli.envelope;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import org.puente.cli.exit.ExitCodes;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.EnvelopeSealer;
import org.puente.envelope.Fingerprints;
import org.puente.envelope.SealSummary;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code puente envelope seal}: signs and encrypts a payload exactly as a gateway does. */
@Command(name = "seal", mixinStandardHelpOptions = true,
        description = "Sign (CMS SignedData) and encrypt (AuthEnvelopedData, AES-256-GCM) a payload for a peer.")
public final class SealCommand implements Callable<Integer> {
    @Option(names = "--header", required = true, paramLabel = "H.json", description = "Envelope header (JSON).")
    Path header;
    @Option(names = "--payload", required = true, paramLabel = "P", description = "Payload file (sent byte for byte).")
    Path payload;
    @Option(names = "--signer", required = true, paramLabel = "KEYSTORE.p12",
            description = "Sender's gateway keystore (aliases signing, encryption).")
    Path signer;
    @Option(names = "--recipient", required = true, paramLabel = "CERT.pem",
            description = "The peer gateway's encryption certificate.")
    Path recipient;
    @Option(names = "--out", required = true, paramLabel = "E.der", description = "Where to write the envelope.")
    Path out;
    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "ec-p256-aes256gcm",
            description = "Algorithm profile: ec-p256-aes256gcm (default), ec-p384-aes256gcm, rsa3072-aes256gcm.")
    String profile;
    @CommandLine.Mixin
    KeystorePassword password = new KeystorePassword();
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            EnvelopeHeader h = readHeader(header);
            KeyMaterial keys = KeyMaterial.load(List.of(signer), password.read(signer), java.time.Clock.systemUTC());
            X509Certificate to = TrustMaterial.certificates(List.of(recipient), null).get(0);
            EnvelopeSealer sealer = new EnvelopeSealer(keys, AlgorithmProfile.fromName(profile));
            SealSummary summary;
            try (InputStream in = Files.newInputStream(payload); OutputStream o = Files.newOutputStream(out)) {
                summary = sealer.seal(h, in, Files.size(payload), to, o);
            }
            spec.commandLine().getOut().printf("sealed %s: message %s, %d bytes, sha256 %s%n", out, h.messageId(),
                    summary.length(), Fingerprints.hex(summary.sha256()));
            return ExitCodes.OK;
        } catch (IOException e) {
            return Failures.report(spec.commandLine().getErr(), new UncheckedIOException(e));
        } catch (RuntimeException e) {
            return Failures.report(spec.commandLine().getErr(), e);
        }
    }

    static EnvelopeHeader readHeader(Path file) {
        try {
            return CanonicalJson.read(Files.readAllBytes(file), EnvelopeHeader.class);
        } catch (IOException | RuntimeException e) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, file + " is not an envelope header");
        }
    }
}
