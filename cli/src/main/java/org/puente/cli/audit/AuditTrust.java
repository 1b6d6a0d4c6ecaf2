package org.puente.cli.audit;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.audit.verify.AuditVerification;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Whom an auditor trusts to have signed checkpoints and exports: the gateway's own country root,
 * the gateway's name, optionally the CRLs and the moment to judge certificates at. The signer
 * must be the gateway's audit key (extended key usage id-puente-kp-audit-signing): a checkpoint
 * or export signed with its message key is refused ({@code wrong_key_usage}).
 */
public final class AuditTrust {
    @Option(names = "--trust", required = true, arity = "1..*", paramLabel = "ROOT.pem",
            description = "Root CA of the gateway's own country (the one that issued its signing certificate).")
    List<Path> roots;

    @Option(names = "--crl", arity = "1..*", paramLabel = "CRL.pem",
            description = "CRLs of that country's CAs. Without them revocation is NOT checked (a warning says so).")
    List<Path> crls = List.of();

    @Option(names = "--signer", paramLabel = "NAME",
            description = "The gateway name checkpoints and exports must be signed by, e.g. gateway.us.puente.sample"
                    + " (default for an export: the gateway its header names); the signing certificate must be the"
                    + " gateway's audit certificate (extended key usage id-puente-kp-audit-signing).")
    String signer;

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "Judge certificate validity at this time instead of now (logs older than the gateway's certificate).")
    Instant at;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Accept only this algorithm profile (ec-p256-aes256gcm, ec-p384-aes256gcm, rsa3072-aes256gcm);"
                    + " by default any agreed profile, the one each signature names, with its digest and key size held to it.")
    String profile;

    @Mixin
    EvidenceRules rules = new EvidenceRules();

    @Option(names = "--peer-trust", arity = "1..*", paramLabel = "ROOT.pem",
            description = "Root CA of the OTHER country: require and check the peer's cosignature of a checkpoint that"
                    + " holds the export's last entry (docs/audit.md, Cross-witnessing).")
    List<Path> peerRoots;

    @Option(names = "--peer-signer", paramLabel = "NAME",
            description = "The peer gateway name the cosignature must be signed by, e.g. gateway.mx.puente.sample"
                    + " (default: any audit certificate under --peer-trust).")
    String peerSigner;

    AuditVerification verification(String signerName, java.io.PrintWriter err) {
        return new AuditVerification(verifier(), signerTrust(signerName, err), rules.options());
    }

    /** The trust of checkpoint and export signatures: the gateway's country, its name. */
    SignerTrust signerTrust(String signerName, java.io.PrintWriter err) {
        SignerTrust.Builder b = SignerTrust.builder().roots(TrustMaterial.certificates(roots, null))
                .crls(TrustMaterial.crls(crls)).expectedSignerName(signerName).noAgeLimit();
        if (crls.isEmpty()) {
            b.revocationChecking(false);
            err.println("warning: no --crl given: revocation is not checked");
        }
        if (at != null) {
            b.clock(Clock.fixed(at, ZoneOffset.UTC));
        }
        return b.build();
    }

    /** The trust of the peer's cosignatures (its audit key), when --peer-trust is given. */
    java.util.Optional<SignerTrust> peerTrust() {
        if (peerRoots == null || peerRoots.isEmpty()) {
            return java.util.Optional.empty();
        }
        SignerTrust.Builder b = SignerTrust.builder().roots(TrustMaterial.certificates(peerRoots, null))
                .crls(TrustMaterial.crls(crls)).noAgeLimit();
        if (peerSigner != null) {
            b.expectedSignerName(peerSigner);
        } else {
            b.anySignerName();
        }
        if (crls.isEmpty()) {
            b.revocationChecking(false);
        }
        if (at != null) {
            b.clock(Clock.fixed(at, ZoneOffset.UTC));
        }
        return java.util.Optional.of(b.build());
    }

    StatementVerifier verifier() {
        return profile == null ? StatementVerifier.anyAgreedProfile() : new StatementVerifier(AlgorithmProfile.fromName(profile));
    }
}
