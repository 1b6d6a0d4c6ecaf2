package org.puente.engine.keys;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.peer.PeerCall;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.security.GatewaySecurity;
import org.puente.envelope.Fingerprints;
import org.puente.engine.security.PeerRecipient;
import org.puente.engine.store.Transactions;
import org.puente.envelope.statement.StatementType;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encryption certificate crossing the peer link after a key rotation, both ways.
 *
 * <p>Sending: after a reload that brought a new encryption key, and once after every start, this
 * gateway signs an announcement of its encryption certificate (with its CAs) and posts it to the
 * peer, until the peer's signed answer names that certificate; a failed call is tried again on the
 * next tick. Receiving: the announcement must be signed by the peer gateway's message key (the
 * other country's root, the peer's name, revocation), and the certificate must be the peer's
 * (name), chain to the other country's root, be unrevoked and valid, carry the encryption key
 * usage, fit the agreed profile, and be newer than the one in use; then it is stored with the
 * signed announcement (table {@code peer_key}), audited, and sealed to from the next message on.
 * Anything else is refused with its specific code and audited as refused; the certificate in
 * use stays.
 */
public final class KeyAnnouncements {
    private static final Logger LOG = LoggerFactory.getLogger(KeyAnnouncements.class);

    /** What a gateway announces: its name, its encryption certificate then its CAs (DER), and when. */
    public record Announcement(String gateway, List<byte[]> chain, Instant at) {
        /** An announcement of {@code chain} (the encryption certificate first) by {@code gateway}. */
        public static Announcement of(String gateway, List<X509Certificate> chain, Instant at) {
            return new Announcement(gateway, chain.stream().map(KeyAnnouncements::der).toList(), at);
        }
    }

    /** The peer's answer: who answers, and the SHA-256 fingerprint of the certificate it seals to now. */
    public record Answer(String gateway, String sealsTo) {
    }

    /** Where this gateway's own announcement stands, for the operators. */
    public record Status(String fingerprint, boolean confirmed, String lastFailure) {
    }

    private final GatewaySecurity security;
    private final PeerEnvelopes envelopes;
    private final PeerClient peer;
    private final Transactions tx;
    private final AuditLog audit;
    private final Clock clock;
    private volatile String confirmed;
    private volatile String lastFailure;
    /** The certificate a key reload brought: the peer's confirmation of it is audited (a start's is only logged). */
    private volatile String toAudit;
    /** A certificate the peer refused with a signed answer: not announced again until a reload or a restart. */
    private volatile String refused;

    public KeyAnnouncements(GatewaySecurity security, PeerEnvelopes envelopes, PeerClient peer, Transactions tx,
                            AuditLog audit, Clock clock) {
        this.security = security;
        this.envelopes = envelopes;
        this.peer = peer;
        this.tx = tx;
        this.audit = audit;
        this.clock = clock;
    }

    /** Our encryption certificate in force, and whether the peer has confirmed it seals to it. */
    public Status status() {
        String own = Fingerprints.certificate(security.keys().encryptionCertificate());
        return new Status(own, own.equals(confirmed), lastFailure);
    }

    /** After a key reload that brought a new encryption certificate: the peer's confirmation of it is audited. */
    void reloaded(X509Certificate encryption) {
        toAudit = Fingerprints.certificate(encryption);
        refused = null;
    }

    /** Announces our encryption certificate unless the peer already confirmed it; called on a schedule and after a reload. */
    public Status announceIfPending() {
        Status now = status();
        if (!now.confirmed() && !now.fingerprint().equals(refused)) {
            announce();
        }
        return status();
    }

    private void announce() {
        List<X509Certificate> chain = security.keys().encryptionChain();
        X509Certificate own = chain.get(0);
        String fingerprint = Fingerprints.certificate(own);
        byte[] cms = envelopes.sign(StatementType.KEY_ANNOUNCEMENT, Announcement.of(envelopes.ownName(), chain,
                clock.instant()));
        PeerCall<PeerProtocol.KeyAnswer> call = peer.announceKey(new PeerProtocol.KeyAnnouncement(cms));
        if (call.kind() != PeerCall.Kind.ANSWERED) {
            lastFailure = call.error().code() + " " + call.detail();
            if (call.kind() == PeerCall.Kind.TRANSPORT_ERROR_NO_RETRY) {
                // the peer refused this certificate: asking again every tick would only fill its audit log
                refused = fingerprint;
                LOG.warn("{} refused our encryption certificate {} ({}); not announced again until a key reload or"
                        + " a restart", envelopes.peerName(), fingerprint, lastFailure);
            } else {
                LOG.debug("announcing encryption certificate {} to {}: {}", fingerprint, envelopes.peerName(), lastFailure);
            }
            return;
        }
        try {
            Answer answer = envelopes.verify(call.answer().answer(), StatementType.KEY_ANNOUNCEMENT, Answer.class);
            if (!fingerprint.equals(answer.sealsTo())) {
                throw new PuenteException(ErrorCode.RECEIPT_MISMATCH, "the peer seals to " + answer.sealsTo()
                        + ", not to " + fingerprint);
            }
        } catch (PuenteException e) {
            lastFailure = e.getMessage();
            LOG.warn("the peer's answer to our key announcement was refused: {}", lastFailure);
            return;
        }
        confirmed = fingerprint;
        lastFailure = null;
        if (fingerprint.equals(Fingerprints.certificate(security.keys().encryptionCertificate()))) {
            // the keys a reload took out open for the overlap from now on, then are dropped
            security.keyRing().startOverlap();
        }
        LOG.info("{} confirmed it seals to our encryption certificate {}", envelopes.peerName(), fingerprint);
        if (fingerprint.equals(toAudit)) {
            toAudit = null;
            audit.append(tx, AuditEvent.action(AuditEventType.KEY_ANNOUNCED, clock.instant(), envelopes.peerName(),
                    "the peer seals to our encryption certificate " + fingerprint + " (" + subject(own) + ")"));
        }
    }

    /**
     * The peer's announcement: validated, stored and adopted, or refused with its code (audited
     * both ways). Returns our signed answer naming the certificate we seal to now.
     */
    public synchronized byte[] receive(byte[] announcementCms) {
        List<X509Certificate> chain;
        try {
            Announcement a = envelopes.verify(announcementCms, StatementType.KEY_ANNOUNCEMENT, Announcement.class);
            if (a.gateway() == null || !a.gateway().equalsIgnoreCase(envelopes.peerName()) || a.chain() == null
                    || a.chain().isEmpty()) {
                throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the announcement names another gateway or no certificate");
            }
            chain = PeerKeyRows.certificates(concat(a.chain()));
            adoptable(chain);
        } catch (PuenteException e) {
            audit.append(tx, AuditEvent.action(AuditEventType.PEER_KEY_ADOPTED, clock.instant(), envelopes.peerName(), null)
                    .withOutcome(AuditEvent.FAILED, e.errorCode(), "announcement refused: " + e.getMessage()));
            throw e;
        }
        X509Certificate cert = chain.get(0);
        PeerRecipient recipient = security.peerRecipient();
        if (!cert.equals(recipient.certificate())) {
            Instant now = clock.instant();
            String detail = "the peer's new encryption certificate " + Fingerprints.certificate(cert) + " (" + subject(cert)
                    + ") is sealed to from now on";
            // the instance that stores it audits it; another instance that hears it again only follows
            tx.write(c -> {
                if (PeerKeyRows.insert(c, chain, announcementCms, now)) {
                    audit.append(c, AuditEvent.action(AuditEventType.PEER_KEY_ADOPTED, now, envelopes.peerName(), detail));
                }
                return null;
            });
            recipient.adopt(chain);
            LOG.info("{}", detail);
        }
        return envelopes.sign(StatementType.KEY_ANNOUNCEMENT, new Answer(envelopes.ownName(),
                Fingerprints.certificate(recipient.certificate())));
    }

    /**
     * Seals to the newest certificate stored by any instance sharing the database, if it is newer
     * than the one in use and still valid: at the start, and on every tick for the other instances.
     */
    public synchronized void adoptStored() {
        Optional<List<X509Certificate>> stored = tx.read(PeerKeyRows::newest);
        if (stored.isEmpty() || stored.get().get(0).equals(security.peerRecipient().certificate())) {
            return;
        }
        try {
            adoptable(stored.get());
            security.peerRecipient().adopt(stored.get());
            LOG.info("sealing to the peer's encryption certificate {} adopted earlier (table peer_key)",
                    Fingerprints.certificate(stored.get().get(0)));
        } catch (PuenteException e) {
            LOG.debug("the stored peer encryption certificate is not adopted: {}", e.getMessage());
        }
    }

    /** Throws the specific refusal unless the certificate may replace the one in use. */
    private void adoptable(List<X509Certificate> chain) {
        X509Certificate cert = chain.get(0);
        if (!security.profile().fitsRecipient(cert.getPublicKey())) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM, "the announced key does not fit the profile "
                    + security.profile().cliName());
        }
        security.peerTrust().validateRecipient(cert, chain, security.peerTrust().crls());
        X509Certificate current = security.peerRecipient().certificate();
        if (!cert.equals(current) && !cert.getNotBefore().after(current.getNotBefore())) {
            throw new PuenteException(ErrorCode.STALE_KEY_ANNOUNCEMENT, subject(cert) + " valid from "
                    + cert.getNotBefore().toInstant() + ", in use since " + current.getNotBefore().toInstant());
        }
    }

    private static String subject(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName() + ", serial " + cert.getSerialNumber().toString(16);
    }

    private static byte[] der(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "certificate encoding");
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
