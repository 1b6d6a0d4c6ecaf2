package org.puente.engine.security;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.puente.envelope.Fingerprints;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own keys in force, and their reload without a restart (a key rotation). A reload
 * reads the configured keystore again, checks it as the start does ({@link OwnKeys}), lets the
 * caller prepare for it (the storage key sealed again for the new keys), and only then puts it in
 * force: signing, TLS and audit signatures use the new keys from the next one on. An encryption
 * key the new keystore no longer holds stays usable for opening until the peer has confirmed the
 * new encryption certificate ({@link #startOverlap()}) and then for the overlap
 * ({@code puente.pki.rotation-overlap}): what the peer sealed to it before still opens. A key
 * whose certificate is not valid yet is held but chosen only from its notBefore on (staged keys):
 * the keys in force are chosen again at that instant. A reload that fails changes nothing.
 */
public final class KeyRing {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);

    /** What a reload put in force, for the operator, the audit log and the peer's announcement. */
    public record Reloaded(X509Certificate signing, X509Certificate encryption, X509Certificate tls,
                           X509Certificate audit, boolean encryptionChanged, int retained) {
        public String summary() {
            return "keys reloaded: signing " + Fingerprints.certificate(signing) + ", encryption "
                    + Fingerprints.certificate(encryption) + (encryptionChanged ? " (new)" : "") + ", tls "
                    + Fingerprints.certificate(tls) + ", audit " + Fingerprints.certificate(audit)
                    + (retained == 0 ? "" : "; " + retained + " earlier encryption key(s) kept for opening until the"
                            + " peer confirms the new certificate, then during the overlap");
        }
    }

    private final Supplier<KeyMaterial> source;
    private final String gatewayName;
    private final AlgorithmProfile profile;
    private final boolean sample;
    private final Duration overlap;
    private final Clock clock;
    /**
     * Encryption keys taken out of the keystore by a reload, by certificate, and until when they
     * still open ({@link Instant#MAX} until the peer confirms the new certificate). Guarded by this.
     */
    private final Map<X509Certificate, Instant> retiring = new LinkedHashMap<>();
    /** The keystore as last read. */
    private KeyMaterial loaded;
    private volatile OwnKeys inForce;
    /** When the keys in force must be chosen again (a kept key's overlap ends, a staged key becomes valid). */
    private volatile Instant nextChange;

    /**
     * @param source reads the keystore (or token) as it is now; called at construction and at each reload
     */
    public KeyRing(Supplier<KeyMaterial> source, String gatewayName, AlgorithmProfile profile, boolean sample,
                   Duration overlap, Clock clock) {
        this.source = source;
        this.gatewayName = gatewayName;
        this.profile = profile;
        this.sample = sample;
        this.overlap = overlap;
        this.clock = clock;
        KeyMaterial keys = source.get();
        this.loaded = keys;
        this.inForce = OwnKeys.check(keys, gatewayName, profile, sample);
        this.nextChange = nextChange(keys);
    }

    /** The keys in force. */
    public KeyMaterial current() {
        return ownKeys().all();
    }

    /** The audit key in force, as a signer. */
    public KeyMaterial audit() {
        return ownKeys().audit();
    }

    private OwnKeys ownKeys() {
        if (!clock.instant().isBefore(nextChange)) {
            refresh();
        }
        return inForce;
    }

    /** Drops kept keys whose overlap has ended and chooses the keys in force again. */
    private synchronized void refresh() {
        Instant now = clock.instant();
        if (now.isBefore(nextChange)) {
            return;
        }
        int before = retiring.size();
        retiring.values().removeIf(until -> !until.isAfter(now));
        KeyMaterial keys = loaded.retainingEncryption(inForce.all(), retiring::containsKey);
        inForce = new OwnKeys(keys, keys.auditSigning().orElseThrow());
        nextChange = nextChange(keys);
        LOG.info("keys in force chosen again: {} earlier encryption key(s) dropped after the overlap, {} kept;"
                + " signing {}, encryption {}", before - retiring.size(), retiring.size(),
                Fingerprints.certificate(keys.signingCertificate()), Fingerprints.certificate(keys.encryptionCertificate()));
    }

    private Instant nextChange(KeyMaterial keys) {
        Instant next = keys.nextValidityStart().orElse(Instant.MAX);
        for (Instant until : retiring.values()) {
            if (until.isBefore(next)) {
                next = until;
            }
        }
        return next;
    }

    /**
     * The peer confirmed the encryption certificate in force: the keys kept since the reload open
     * for the overlap from now on, then are dropped.
     */
    public synchronized void startOverlap() {
        Instant until = clock.instant().plus(overlap);
        retiring.replaceAll((cert, end) -> end.equals(Instant.MAX) ? until : end);
        nextChange = nextChange(inForce.all());
    }

    /**
     * Reads the keystore again and puts it in force, all or nothing.
     *
     * @param prepare runs with the keys in force and the checked new keys before these are in force
     *                (e.g. open the storage key with the former, seal it for the latter); if it throws,
     *                the reload fails
     * @throws PuenteException {@code keys_refused} naming the problem; the keys in force stay
     */
    public synchronized Reloaded reload(BiConsumer<KeyMaterial, KeyMaterial> prepare) {
        OwnKeys before = ownKeys();
        KeyMaterial next;
        OwnKeys checked;
        try {
            next = source.get();
            checked = OwnKeys.check(next, gatewayName, profile, sample);
        } catch (PuenteException e) {
            throw refused(e);
        }
        Map<X509Certificate, Instant> retiringNext = new LinkedHashMap<>(retiring);
        for (X509Certificate old : before.all().encryptionCertificates()) {
            if (!next.encryptionCertificates().contains(old)) {
                retiringNext.putIfAbsent(old, Instant.MAX);
            }
        }
        next.encryptionCertificates().forEach(retiringNext::remove);
        KeyMaterial merged = next.retainingEncryption(before.all(), retiringNext::containsKey);
        try {
            prepare.accept(before.all(), merged);
        } catch (PuenteException e) {
            throw refused(e);
        }
        // Nothing below can fail.
        retiring.clear();
        retiring.putAll(retiringNext);
        loaded = next;
        inForce = new OwnKeys(merged, checked.audit());
        nextChange = nextChange(merged);
        boolean changed = !before.all().encryptionCertificate().equals(merged.encryptionCertificate());
        Reloaded done = new Reloaded(merged.signingCertificate(), merged.encryptionCertificate(),
                merged.tlsChain().orElseThrow().get(0), checked.audit().signingCertificate(), changed, retiring.size());
        LOG.info("{}", done.summary());
        return done;
    }

    /** The encryption certificates kept for opening after a reload took them out, and until when ({@link Instant#MAX}: until the peer confirms). */
    public synchronized Map<X509Certificate, Instant> retiring() {
        return Map.copyOf(retiring);
    }

    /** When the earliest kept encryption key stops opening, if any is kept and the peer has confirmed. */
    public synchronized Optional<Instant> overlapEnds() {
        return retiring.values().stream().filter(t -> !t.equals(Instant.MAX)).min(Instant::compareTo);
    }

    private static PuenteException refused(PuenteException e) {
        String why = e.args().isEmpty() ? e.getMessage() : String.valueOf(e.args().get(0));
        return new PuenteException(ErrorCode.KEYS_REFUSED, e, why);
    }
}
