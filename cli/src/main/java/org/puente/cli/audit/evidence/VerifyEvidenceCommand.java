package org.puente.cli.audit.evidence;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.puente.cli.exit.ExitCodes;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.model.error.PuenteException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code puente audit verify-evidence DIR}: checks an evidence bundle written by
 * {@code puente audit evidence} offline, against the roots an auditor gives (by default the copies
 * in {@code DIR/trust}), and says VERIFIED or names the first check that fails.
 */
@Command(name = "verify-evidence", mixinStandardHelpOptions = true,
        description = {"Verify the evidence for one message offline: manifest, entry hashes and links, checkpoints",
                "(own root, audit key), the peer's cosignatures (peer root, audit key), inclusion proofs, receipt and notice.",
                "Exit code 0: VERIFIED; 1: the first check that fails, or the evidence cannot be read; 2: usage error."})
public final class VerifyEvidenceCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The folder 'puente audit evidence' wrote.")
    Path dir;

    @Option(names = "--trust", arity = "1..*", paramLabel = "ROOT.pem",
            description = "Root CA(s) of the gateway's own country (default: DIR/trust/own, which the bundle's maker chose).")
    List<Path> trust = List.of();

    @Option(names = "--peer-trust", arity = "1..*", paramLabel = "ROOT.pem",
            description = "Root CA(s) of the peer's country (default: DIR/trust/peer).")
    List<Path> peerTrust = List.of();

    @Option(names = "--crl", arity = "1..*", paramLabel = "CRL.pem",
            description = "CRLs of both countries' CAs (default: DIR/trust/crl). Without any, revocation is NOT checked.")
    List<Path> crls = List.of();

    @Option(names = "--signer", paramLabel = "NAME", description = "The gateway whose log it is (default: the manifest's).")
    String signer;

    @Option(names = "--witness", paramLabel = "NAME", description = "The peer gateway that cosigned (default: the manifest's).")
    String witness;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            EvidenceBundle.Manifest m = EvidenceBundle.readManifest(dir);
            String gateway = signer != null ? signer : m.gateway();
            String peer = witness != null ? witness : m.witness();
            List<Path> own = given(trust, EvidenceBundle.TRUST_OWN, "--trust");
            List<Path> peers = given(peerTrust, EvidenceBundle.TRUST_PEER, "--peer-trust");
            List<Path> revocations = crls.isEmpty() ? inBundle(EvidenceBundle.TRUST_CRL) : crls;
            out.printf("puente audit verify-evidence: message %s on %s, cosigned by %s%n", m.messageId(), gateway, peer);
            out.printf("trust: own %s, peer %s%s%n", own, peers, trust.isEmpty() || peerTrust.isEmpty()
                    ? " (copies in the bundle: give your own roots to trust neither gateway)" : "");
            if (revocations.isEmpty()) {
                err.println("warning: no CRL: revocation is not checked");
            }
            SignedEvidence signed = new SignedEvidence(dir, StatementVerifier.anyAgreedProfile(), trust(own, revocations, gateway),
                    gateway, trust(peers, revocations, peer), peer, out);
            new EvidenceVerifier(dir, signed, out).verify(m);
            out.printf("VERIFIED: the %s entries of message %s are in the log %s signed and %s cosigned, unchanged%n",
                    gateway, m.messageId(), gateway, peer);
            return ExitCodes.OK;
        } catch (EvidenceVerifier.Failure e) {
            out.println("FAILED: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (PuenteException e) {
            err.println("error " + e.errorCode().code() + ": " + e.sentence(Locale.ENGLISH));
            return ExitCodes.INVALID;
        }
    }

    private List<Path> given(List<Path> option, String folder, String name) throws IOException {
        List<Path> roots = option.isEmpty() ? inBundle(folder) : option;
        if (roots.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "No " + folder + " in the bundle: give " + name + ".");
        }
        return roots;
    }

    private List<Path> inBundle(String folder) throws IOException {
        Path d = dir.resolve(folder);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static SignerTrust trust(List<Path> roots, List<Path> crls, String name) {
        SignerTrust.Builder b = SignerTrust.builder().roots(TrustMaterial.certificates(roots, null))
                .crls(TrustMaterial.crls(crls)).expectedSignerName(name).noAgeLimit();
        return b.revocationChecking(!crls.isEmpty()).build();
    }
}
