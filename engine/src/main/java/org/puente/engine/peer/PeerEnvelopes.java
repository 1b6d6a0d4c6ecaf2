package org.puente.engine.peer;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.UUID;
import java.util.function.Supplier;
import org.puente.engine.security.PeerRecipient;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.EnvelopeOpener;
import org.puente.envelope.EnvelopeSealer;
import org.puente.envelope.OpenedEnvelope;
import org.puente.envelope.SealedEnvelope;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.keys.SigningKeys;
import org.puente.envelope.receipt.Receipt;
import org.puente.envelope.receipt.Receipts;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.statement.VerifiedStatement;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * This gateway's side of the secure link with its peer: the envelope module configured with our
 * keys, the peer's encryption certificate and the trust in the peer's signing certificates (the
 * other country's root, the expected peer gateway name, revocation).
 */
public final class PeerEnvelopes {
    private final EnvelopeSealer sealer;
    private final EnvelopeOpener opener;
    private final Receipts receipts;
    private final StatementSigner signer;
    private final StatementVerifier verifier;
    private final SignerTrust peerTrust;
    private final Supplier<X509Certificate> recipient;
    private final String ownName;
    private final String peerName;

    /** With a fixed peer encryption certificate, always sealed to (tests and tools). */
    public PeerEnvelopes(KeyMaterial keys, AlgorithmProfile profile, X509Certificate peerEncryption, SignerTrust peerTrust,
                         long maxPayloadBytes, String ownName, String peerName, Clock clock) {
        this(() -> keys, profile, () -> peerEncryption, peerTrust, maxPayloadBytes, ownName, peerName, clock);
    }

    /**
     * With the gateway's keys in force at each operation (a reload replaces them) and its judgement
     * of the peer's encryption certificate: nothing is sealed to it while it is revoked or out of
     * its validity ({@code peer_key_unusable}).
     */
    public PeerEnvelopes(Supplier<KeyMaterial> keys, AlgorithmProfile profile, PeerRecipient recipient,
                         SignerTrust peerTrust, long maxPayloadBytes, String ownName, String peerName, Clock clock) {
        this(keys, profile, recipient::require, peerTrust, maxPayloadBytes, ownName, peerName, clock);
    }

    private PeerEnvelopes(Supplier<KeyMaterial> keys, AlgorithmProfile profile, Supplier<X509Certificate> recipient,
                          SignerTrust peerTrust, long maxPayloadBytes, String ownName, String peerName, Clock clock) {
        this.recipient = recipient;
        SigningKeys signing = new SigningKeys(keys, profile);
        this.sealer = new EnvelopeSealer(signing, CryptoProviders.RECOMMENDED, Clock.systemUTC());
        this.opener = new EnvelopeOpener(keys, peerTrust, profile, CryptoProviders.RECOMMENDED, maxPayloadBytes);
        this.signer = new StatementSigner(signing, CryptoProviders.RECOMMENDED, Clock.systemUTC());
        this.verifier = new StatementVerifier(profile);
        this.receipts = new Receipts(signer, verifier, peerTrust, clock);
        this.peerTrust = peerTrust;
        this.ownName = ownName;
        this.peerName = peerName;
    }

    /** Seals for the peer; {@code peer_key_unusable} while its encryption certificate may not be used. */
    public SealedEnvelope seal(EnvelopeHeader header, byte[] payload) {
        return sealer.seal(header, payload, recipient.get());
    }

    public OpenedEnvelope open(byte[] envelope, EnvelopeHeader routingHeader) {
        return opener.open(envelope, routingHeader);
    }

    public byte[] receipt(OpenedEnvelope opened) {
        return receipts.receipt(opened);
    }

    public byte[] rejection(UUID messageId, byte[] envelopeSha256, ErrorCode code, String sentence) {
        return receipts.rejection(messageId, envelopeSha256, code, sentence);
    }

    public Receipt verifyReceipt(byte[] receipt, UUID messageId, byte[] envelopeSha256) {
        return receipts.verifyReceipt(receipt, messageId, envelopeSha256);
    }

    public byte[] signNotice(DeliveryNotice notice) {
        return signer.sign(StatementType.DELIVERY_NOTICE, CanonicalJson.bytes(notice));
    }

    public DeliveryNotice verifyNotice(byte[] cms) {
        VerifiedStatement s = verifier.verify(cms, StatementType.DELIVERY_NOTICE, peerTrust);
        try {
            return CanonicalJson.read(s.content(), DeliveryNotice.class);
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "delivery notice content");
        }
    }

    /** A statement of another kind (e.g. a key announcement) signed with the message key in force. */
    public byte[] sign(StatementType type, Object content) {
        return signer.sign(type, CanonicalJson.bytes(content));
    }

    /** The content of the peer's signed statement of that kind, read into {@code as}; {@code envelope_unreadable} if it does not fit. */
    public <T> T verify(byte[] cms, StatementType type, Class<T> as) {
        byte[] content = verifier.verify(cms, type, peerTrust).content();
        try {
            return CanonicalJson.read(content, as);
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, type.name().toLowerCase(java.util.Locale.ROOT) + " content");
        }
    }

    /** A signed ping: who we are and when, so the peer proves it can verify us and we it. */
    public byte[] signPing(String nonce) {
        return signer.sign(StatementType.PING, CanonicalJson.bytes(new Ping(ownName, nonce)));
    }

    /** Verifies the peer's ping and answers with our signed pong carrying the same nonce. */
    public byte[] answerPing(byte[] ping) {
        Ping p = CanonicalJson.read(verifier.verify(ping, StatementType.PING, peerTrust).content(), Ping.class);
        return signer.sign(StatementType.PING, CanonicalJson.bytes(new Ping(ownName, p.nonce())));
    }

    /** Checks the peer's pong answers our nonce. */
    public void verifyPong(byte[] pong, String nonce) {
        Ping p = CanonicalJson.read(verifier.verify(pong, StatementType.PING, peerTrust).content(), Ping.class);
        if (!nonce.equals(p.nonce())) {
            throw new PuenteException(ErrorCode.RECEIPT_MISMATCH, "the pong does not answer our ping");
        }
    }

    /** The content of a ping or pong. */
    public record Ping(String gateway, String nonce) {
    }

    public void reloadCrls(Collection<X509CRL> crls) {
        peerTrust.reloadCrls(crls);
    }

    public String ownName() {
        return ownName;
    }

    public String peerName() {
        return peerName;
    }
}
