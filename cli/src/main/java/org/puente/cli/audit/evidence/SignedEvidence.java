package org.puente.cli.audit.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditKeys;
import org.puente.audit.CheckpointContent;
import org.puente.audit.CosignatureContent;
import org.puente.envelope.receipt.ReceiptContent;
import org.puente.envelope.statement.StatementType;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.statement.VerifiedStatement;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.Fingerprints;
import org.puente.envelope.timestamp.TimeStampVerifier;
import org.puente.envelope.timestamp.VerifiedTimeStamp;
import org.puente.model.CanonicalJson;
import org.puente.model.error.PuenteException;

/**
 * The signed files of an evidence bundle, each checked against the trust an auditor gives: the
 * gateway's checkpoints (its audit key, own root), the peer's cosignatures (the peer's audit key,
 * peer root), the peer's receipt and delivery notice (the peer's message key) and the receipt
 * this gateway gave (its message key).
 *
 * <p>Implementation note: each trust names the gateway it expects and, through
 * {@link AuditKeys#trust}, the key purpose, so a checkpoint signed with a message key, a
 * cosignature by the log's own gateway or a receipt by anyone but the peer is refused. Signing
 * times are not held to an age: evidence is checked long after it was signed.
 *
 * @param own  the gateway's trust for its message key: own roots, CRLs, its name
 * @param peer the peer gateway's trust for its message key: peer roots, CRLs, its name
 */
record SignedEvidence(Path dir, StatementVerifier verifier, SignerTrust own, String gateway, SignerTrust peer, String witness,
                      PrintWriter out) {

    /** Checkpoint {@code size}: signed by the gateway's audit key, for that tree size, with a root. */
    CheckpointContent checkpoint(long size) throws EvidenceVerifier.Failure {
        String file = EvidenceBundle.checkpoint(size);
        String what = "checkpoint " + size + " (" + file + ")";
        CheckpointContent cp;
        try {
            cp = CheckpointContent.verify(verifier, AuditKeys.trust(own), read(file, what));
        } catch (PuenteException e) {
            throw refused(what + ": not a checkpoint signed by " + gateway + "'s audit key under the own root", e);
        }
        if (cp.seq() != size || cp.rootHash() == null || !gateway.equals(cp.gateway())) {
            throw new EvidenceVerifier.Failure(what + ": signed by " + cp.gateway() + " for tree size " + cp.seq()
                    + " with root " + cp.rootHash() + ", not tree size " + size + " of " + gateway);
        }
        out.printf("ok checkpoint %d: signed by %s's audit key at %s, root %s%n", size, gateway, cp.at(), cp.rootHash());
        return cp;
    }

    /** The peer's cosignature of checkpoint {@code size}: its audit key, that origin, size and root, that checkpoint file. */
    void cosignature(long size, CheckpointContent cp) throws EvidenceVerifier.Failure {
        String file = EvidenceBundle.cosignature(size);
        String what = "cosignature " + size + " (" + file + ")";
        CosignatureContent c;
        try {
            c = CosignatureContent.verify(verifier, AuditKeys.trust(peer), read(file, what));
        } catch (PuenteException e) {
            throw refused(what + ": not a cosignature by " + witness + "'s audit key under the peer root", e);
        }
        if (!c.covers(gateway, size, cp.rootHash())) {
            throw new EvidenceVerifier.Failure(what + ": cosigns tree size " + c.treeSize() + " of " + c.origin() + " with root "
                    + c.rootHash() + ", not checkpoint " + size + " of " + gateway + " with root " + cp.rootHash());
        }
        String sha256 = EvidenceBundle.sha256(read(EvidenceBundle.checkpoint(size), "checkpoint " + size));
        if (!sha256.equalsIgnoreCase(c.checkpointSha256())) {
            throw new EvidenceVerifier.Failure(what + ": cosigns the checkpoint with SHA-256 " + c.checkpointSha256()
                    + ", not " + EvidenceBundle.checkpoint(size) + " (" + sha256 + ")");
        }
        out.printf("ok cosignature %d: %s's audit key cosigned that checkpoint (its SHA-256, size and root) at %s%n", size,
                c.witness(), c.cosignedAt());
    }

    /**
     * The RFC 3161 token of checkpoint {@code size}, if the bundle has one: issued by a TSA under the
     * own roots (critical timeStamping key usage), over the SHA-256 of exactly that checkpoint file.
     */
    void timestamp(long size) throws EvidenceVerifier.Failure {
        String file = EvidenceBundle.timestamp(size);
        if (!exists(file)) {
            return;
        }
        byte[] imprint = Fingerprints.sha256(read(EvidenceBundle.checkpoint(size), "checkpoint " + size));
        try {
            VerifiedTimeStamp t = new TimeStampVerifier(own.roots(), own.crls(), java.time.Clock.systemUTC())
                    .verify(read(file, "time-stamp " + size), imprint);
            out.printf("ok time-stamp %d: checkpoint %d existed at %s (RFC 3161, %s)%n", size, size, t.genTime(), t.tsaSubject());
        } catch (PuenteException e) {
            throw refused("time-stamp " + size + " (" + file + "): not a token over that checkpoint by a TSA under the own root", e);
        }
    }

    /** The receipt, delivery notice and our receipt that are present: signed by whom they must be, about this message. */
    void statements(String messageId, List<AuditEntry> entries) throws EvidenceVerifier.Failure {
        if (exists(EvidenceBundle.RECEIPT)) {
            receipt(EvidenceBundle.RECEIPT, peer, witness, messageId, entries);
        }
        if (exists(EvidenceBundle.DELIVERY_NOTICE)) {
            VerifiedStatement s = statement(EvidenceBundle.DELIVERY_NOTICE, StatementType.DELIVERY_NOTICE, peer, witness);
            JsonNode notice;
            try {
                notice = CanonicalJson.mapper().readTree(s.content());
            } catch (IOException e) {
                throw new EvidenceVerifier.Failure(EvidenceBundle.DELIVERY_NOTICE + ": its content is not a notice");
            }
            requireMessage(EvidenceBundle.DELIVERY_NOTICE, notice.path("messageId").asText(), messageId);
            out.printf("ok delivery notice: signed by %s at %s: %s by %s at %s%n", witness, s.signingTime(),
                    notice.path("status").asText(), notice.path("agency").asText(), notice.path("at").asText());
        }
        if (exists(EvidenceBundle.OUR_RECEIPT)) {
            receipt(EvidenceBundle.OUR_RECEIPT, own, gateway, messageId, entries);
        }
    }

    private void receipt(String file, SignerTrust trust, String signer, String messageId, List<AuditEntry> entries)
            throws EvidenceVerifier.Failure {
        VerifiedStatement s = statement(file, StatementType.RECEIPT, trust, signer);
        ReceiptContent r;
        try {
            r = CanonicalJson.read(s.content(), ReceiptContent.class);
        } catch (RuntimeException e) {
            throw new EvidenceVerifier.Failure(file + ": its content is not a receipt");
        }
        requireMessage(file, String.valueOf(r.messageId()), messageId);
        Optional<AuditEntry> recorded = entries.stream()
                .filter(e -> e.event().envelopeSha256() != null && e.event().envelopeSha256().equalsIgnoreCase(r.envelopeSha256()))
                .findFirst();
        boolean anyDigest = entries.stream().anyMatch(e -> e.event().envelopeSha256() != null);
        if (anyDigest && recorded.isEmpty()) {
            throw new EvidenceVerifier.Failure(file + ": names envelope " + r.envelopeSha256() + ", which no entry records");
        }
        out.printf("ok %s: signed by %s at %s: %s, envelope %s%s%n", file, signer, s.signingTime(), r.outcome(),
                r.envelopeSha256(), recorded.map(e -> " (recorded by entry " + e.seq() + ")").orElse(""));
    }

    VerifiedStatement statement(String file, StatementType type, SignerTrust trust, String signer)
            throws EvidenceVerifier.Failure {
        try {
            return verifier.verify(read(file, file), type, trust);
        } catch (PuenteException e) {
            throw refused(file + ": not a " + type + " signed by " + signer, e);
        }
    }

    private static void requireMessage(String file, String named, String messageId) throws EvidenceVerifier.Failure {
        if (!messageId.equals(named)) {
            throw new EvidenceVerifier.Failure(file + ": names message " + named + ", not " + messageId);
        }
    }

    private boolean exists(String file) {
        return Files.isRegularFile(dir.resolve(file));
    }

    private byte[] read(String file, String what) throws EvidenceVerifier.Failure {
        try {
            return Files.readAllBytes(dir.resolve(file));
        } catch (IOException e) {
            throw new EvidenceVerifier.Failure(what + ": missing or unreadable (" + e.getMessage() + ")");
        }
    }

    private static EvidenceVerifier.Failure refused(String what, PuenteException e) {
        return new EvidenceVerifier.Failure(what + ": " + e.errorCode().code() + ": " + e.sentence(Locale.ENGLISH));
    }
}
