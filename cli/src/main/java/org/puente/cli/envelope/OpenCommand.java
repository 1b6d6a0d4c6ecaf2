package org.puente.cli.envelope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.puente.cli.exit.ExitCodes;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.EnvelopeOpener;
import org.puente.envelope.Fingerprints;
import org.puente.envelope.OpenedEnvelope;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.trust.CertificateNames;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.model.CanonicalJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code puente envelope open}: decrypts and verifies an envelope with every rule the gateway
 * applies, then writes the verified header and payload, or prints the exact error code.
 */
@Command(name = "open", mixinStandardHelpOptions = true,
        description = "Decrypt and verify an envelope; write header.json and payload into DIR, or print the error code.")
public final class OpenCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "E.der", description = "The envelope.")
    Path in;
    @Option(names = "--keystore", required = true, paramLabel = "KEYSTORE.p12",
            description = "Receiving gateway's keystore (alias encryption, and encryption-2 during a rotation).")
    Path keystore;
    @Option(names = "--trust", required = true, arity = "1..*", paramLabel = "CA.pem",
            description = "Trusted root(s) of the sending country (PEM/DER; .p12 truststores read with the keystore password).")
    List<Path> trust;
    @Option(names = "--crl", arity = "1..*", paramLabel = "CRL.pem",
            description = "CRLs of the sending country's CAs. Without them revocation is NOT checked (a warning says so).")
    List<Path> crls = List.of();
    @Option(names = "--expect-signer", paramLabel = "NAME",
            description = "Expected signer gateway name, e.g. gateway.us.puente.sample (default: any name under the roots).")
    String expectedSigner;
    @Option(names = "--header", paramLabel = "H.json",
            description = "Routing header the envelope travelled with; compared with the signed header.")
    Path routingHeader;
    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "ec-p256-aes256gcm",
            description = "Algorithm profile the envelope must follow (default ec-p256-aes256gcm).")
    String profile;
    @Option(names = "--max-payload", paramLabel = "BYTES", defaultValue = "67108864",
            description = "Largest payload accepted (default 64 MiB).")
    long maxPayload;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where header.json and payload go.")
    Path out;
    @CommandLine.Mixin
    KeystorePassword password = new KeystorePassword();
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            char[] secret = password.read(keystore);
            boolean truststore = trust.stream().anyMatch(p -> p.toString().endsWith(".p12"));
            List<java.security.cert.X509Certificate> roots = TrustMaterial.certificates(trust,
                    truststore ? secret.clone() : null);
            KeyMaterial keys = KeyMaterial.load(List.of(keystore), secret, java.time.Clock.systemUTC());
            SignerTrust.Builder tb = SignerTrust.builder().roots(roots).crls(TrustMaterial.crls(crls));
            if (crls.isEmpty()) {
                tb.revocationChecking(false);
                spec.commandLine().getErr().println("warning: no --crl given: revocation is not checked");
            }
            if (expectedSigner == null) {
                tb.anySignerName();
            } else {
                tb.expectedSignerName(expectedSigner);
            }
            EnvelopeOpener opener = new EnvelopeOpener(keys, tb.build(), AlgorithmProfile.fromName(profile),
                    CryptoProviders.RECOMMENDED, maxPayload);
            byte[] envelope = Files.readAllBytes(in);
            OpenedEnvelope o = routingHeader == null ? opener.open(envelope)
                    : opener.open(envelope, SealCommand.readHeader(routingHeader));
            Files.createDirectories(out);
            Files.write(out.resolve("header.json"), CanonicalJson.bytes(o.header()));
            Files.write(out.resolve("payload"), o.payload());
            var w = spec.commandLine().getOut();
            w.printf("opened %s: message %s (%s)%n", in, o.header().messageId(), o.header().messageType());
            w.printf("signer: %s, serial %s, signed at %s%n", CertificateNames.display(o.signer()),
                    o.signer().getSerialNumber().toString(16), o.signingTime());
            w.printf("envelope sha256 %s; payload %d bytes, sha256 %s%n", Fingerprints.hex(o.envelopeSha256()),
                    o.payload().length, Fingerprints.hex(o.payloadSha256()));
            w.printf("wrote %s and %s%n", out.resolve("header.json"), out.resolve("payload"));
            return ExitCodes.OK;
        } catch (IOException e) {
            return Failures.report(spec.commandLine().getErr(), new UncheckedIOException(e));
        } catch (RuntimeException e) {
            return Failures.report(spec.commandLine().getErr(), e);
        }
    }
}
