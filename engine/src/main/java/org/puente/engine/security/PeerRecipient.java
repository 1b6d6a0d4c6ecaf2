package org.puente.engine.security;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The peer gateway's encryption certificate, and whether messages may be sealed to it now. It is
 * validated like a signer (path to the other country's root, revocation, key usage) at start-up
 * and on every CRL reload; its validity period is checked again at every seal, so an expiry
 * between two reloads is caught too. While it is refused, sealing fails with
 * {@code peer_key_unusable} (503, retryable): submissions are refused before anything is stored,
 * drop files stay in the inbound folder, and dead letters stay dead until the operators configure
 * a valid certificate.
 */
public final class PeerRecipient {
    private volatile List<X509Certificate> chain;
    private final Clock clock;
    private volatile String refusal;

    /**
     * @param chain the certificate file's content: the encryption certificate first, then its CAs
     * @param refusal why it may not be used (from its validation), or null
     */
    PeerRecipient(List<X509Certificate> chain, String refusal, Clock clock) {
        this.chain = List.copyOf(chain);
        this.refusal = refusal;
        this.clock = clock;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The certificate, then its CAs (as configured or as announced). */
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * Seals to another certificate from now on: one the peer announced over the link after a key
     * rotation, already validated by the caller (path to the peer's root, revocation, key usage,
     * name, profile).
     */
    public synchronized void adopt(List<X509Certificate> validatedChain) {
        this.chain = List.copyOf(validatedChain);
        this.refusal = null;
    }

    /**
     * Records the outcome of a validation of {@code judgedChain} (null: usable), unless another
     * certificate was adopted meanwhile (its own validation stands).
     */
    synchronized void judged(List<X509Certificate> judgedChain, String why) {
        if (judgedChain.equals(chain)) {
            this.refusal = why;
        }
    }

    /** Why messages may not be sealed to it now, if so. */
    public synchronized Optional<String> refusal() {
        String why = refusal;
        if (why != null) {
            return Optional.of(why);
        }
        Instant now = clock.instant();
        X509Certificate certificate = certificate();
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            return Optional.of("expired at " + certificate.getNotAfter().toInstant());
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            return Optional.of("is not valid before " + certificate.getNotBefore().toInstant());
        }
        return Optional.empty();
    }

    /** The certificate to seal to, or {@code peer_key_unusable} with the reason. */
    public X509Certificate require() {
        X509Certificate certificate = certificate();
        Optional<String> why = refusal();
        if (why.isPresent()) {
            throw new PuenteException(ErrorCode.PEER_KEY_UNUSABLE,
                    "\"" + certificate.getSubjectX500Principal().getName() + "\" " + why.get());
        }
        return certificate;
    }
}
