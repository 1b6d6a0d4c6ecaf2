package org.puente.envelope.keys;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * A gateway's own keys: the only main code of Puente (with the sample-PKI generator) that holds a
 * {@link PrivateKey}. Everything else asks it to sign, to decrypt or for TLS key managers.
 *
 * <p>Aliases: {@code signing}, {@code encryption}, {@code tls} and {@code audit} (the separate key
 * that signs the audit log's checkpoints and exports, {@link #auditSigning()}); during a key
 * rotation a keystore (or a second keystore) may add {@code signing-2}, {@code encryption-2},
 * {@code tls-2}, {@code audit-2}. Every
 * encryption key is tried for decryption (the peer may still use the old certificate); signing
 * uses the newest signing certificate (latest notBefore) that is already valid; the audit key
 * likewise.
 *
 * <p>Immutable and thread-safe after construction.
 */
public final class KeyMaterial {
    public static final String DEFAULT_PASSWORD_ENV = "PUENTE_KEYSTORE_PASSWORD";
    public static final String SIGNING = "signing";
    public static final String ENCRYPTION = "encryption";
    public static final String TLS = "tls";
    public static final String AUDIT = "audit";

    /**
     * One key with its certificate chain (leaf first), the leaf parsed once for Bouncy Castle, and
     * the provider that holds the key when it lives in a PKCS#11 token ({@code null} for a key in
     * memory, used through {@link CryptoProviders}).
     */
    record Entry(String alias, PrivateKey key, List<X509Certificate> chain, X509CertificateHolder holder,
                 java.security.Provider token) {
        Entry(String alias, PrivateKey key, List<X509Certificate> chain) {
            this(alias, key, chain, Certificates.holder(chain.get(0)), null);
        }

        Entry(String alias, PrivateKey key, List<X509Certificate> chain, java.security.Provider token) {
            this(alias, key, chain, Certificates.holder(chain.get(0)), token);
        }

        X509Certificate certificate() {
            return chain.get(0);
        }
    }

    private final Entry signer;
    private final List<Entry> signing;
    private final List<Entry> encryption;
    private final List<Entry> tls;
    private final List<Entry> audit;
    private final List<X509CertificateHolder> encryptionHolders;
    private final Clock clock;

    KeyMaterial(List<Entry> signing, List<Entry> encryption, List<Entry> tls, List<Entry> audit, Clock clock) {
        if (signing.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "the keystore has no \"" + SIGNING + "\" key");
        }
        if (encryption.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "the keystore has no \"" + ENCRYPTION + "\" key");
        }
        Comparator<Entry> newestFirst = Comparator.comparing((Entry e) -> e.certificate().getNotBefore()).reversed();
        this.signing = signing.stream().sorted(newestFirst).toList();
        this.encryption = encryption.stream().sorted(newestFirst).toList();
        this.tls = tls.stream().sorted(newestFirst).toList();
        this.audit = audit.stream().sorted(newestFirst).toList();
        this.clock = clock;
        this.signer = newestValid(this.signing, clock);
        this.encryptionHolders = this.encryption.stream().map(e -> Certificates.holder(e.certificate())).toList();
    }

    /** Key material that holds one signing key and nothing else: the audit key, seen as a signer. */
    private KeyMaterial(List<Entry> signingOnly, Clock clock) {
        this.signing = signingOnly;
        this.encryption = List.of();
        this.tls = List.of();
        this.audit = List.of();
        this.clock = clock;
        this.signer = newestValid(signingOnly, clock);
        this.encryptionHolders = List.of();
    }

    private static Entry newestValid(List<Entry> newestFirst, Clock clock) {
        Instant now = clock.instant();
        return newestFirst.stream()
                .filter(e -> !e.certificate().getNotBefore().toInstant().isAfter(now))
                .findFirst()
                .orElse(newestFirst.get(0));
    }

    /** Loads a PKCS#12 keystore; the password array is not kept. */
    public static KeyMaterial load(java.nio.file.Path p12, char[] password) {
        return KeystoreLoader.load(List.of(p12), password, Clock.systemUTC());
    }

    /** Loads one or more PKCS#12 keystores (a second one during a rotation), all with the same password. */
    public static KeyMaterial load(List<java.nio.file.Path> p12s, char[] password, Clock clock) {
        return KeystoreLoader.load(p12s, password, clock);
    }

    /** Loads a keystore whose password is in {@value #DEFAULT_PASSWORD_ENV}. */
    public static KeyMaterial fromEnvironment(java.nio.file.Path p12) {
        return fromEnvironment(p12, DEFAULT_PASSWORD_ENV);
    }

    /** Loads a keystore whose password is in the named environment variable (never printed). */
    public static KeyMaterial fromEnvironment(java.nio.file.Path p12, String passwordEnvVar) {
        return load(List.of(p12), KeystoreLoader.passwordFromEnvironment(passwordEnvVar), Clock.systemUTC());
    }

    /** Builds key material from keys made in code (tests, the sample PKI); chains are leaf first. */
    public static KeyMaterialBuilder builder() {
        return new KeyMaterialBuilder();
    }

    /** The certificate the gateway signs with now. */
    public X509Certificate signingCertificate() {
        return signer.certificate();
    }

    /** Signing certificate, then its issuers, as stored in the keystore. */
    public List<X509Certificate> signingChain() {
        return signer.chain();
    }

    /**
     * The certificates a signed message carries: the signing chain without its self-signed root.
     * A receiver takes its roots from its own configuration and never from a message (RFC 5652
     * leaves the set to the signer; TLS 1.3 omits the root for the same reason, RFC 8446 4.4.2), so
     * the copy would only be written, encrypted and parsed for nothing on every message.
     */
    public List<X509Certificate> signingChainToSend() {
        List<X509Certificate> chain = signer.chain();
        X509Certificate last = chain.get(chain.size() - 1);
        boolean selfSigned = last.getSubjectX500Principal().equals(last.getIssuerX500Principal());
        return chain.size() > 1 && selfSigned ? chain.subList(0, chain.size() - 1) : chain;
    }

    /**
     * The audit key ({@code audit} alias) as key material of its own, whose signer is the audit
     * key: what signs the audit log's checkpoints, exports and archives. Empty when the keystore
     * has none. The audit key never signs messages, and the message key never signs the log.
     */
    public Optional<KeyMaterial> auditSigning() {
        return audit.isEmpty() ? Optional.empty() : Optional.of(new KeyMaterial(audit, clock));
    }

    /**
     * This key material plus the encryption keys of {@code older} it no longer holds and
     * {@code keep} accepts: after a reload, an envelope sealed to a key just taken out of the
     * keystore still opens while the overlap lasts. Signing, TLS and audit keys are this one's only.
     */
    public KeyMaterial retainingEncryption(KeyMaterial older, java.util.function.Predicate<X509Certificate> keep) {
        List<Entry> all = new ArrayList<>(encryption);
        for (Entry e : older.encryption) {
            if (keep.test(e.certificate()) && encryption.stream().noneMatch(n -> n.certificate().equals(e.certificate()))) {
                all.add(e);
            }
        }
        return new KeyMaterial(signing, all, tls, audit, clock);
    }

    /**
     * The newest encryption certificate already valid: the one to give the peer. A key staged with
     * a later notBefore opens envelopes at once but is announced only from its notBefore on.
     */
    public X509Certificate encryptionCertificate() {
        if (encryption.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "this key material has no encryption key");
        }
        return newestValid(encryption, clock).certificate();
    }

    /**
     * When a key of this material that is not valid yet becomes valid (and would then be chosen
     * for signing, TLS or announcing), if any: holders rebuild the material at that instant.
     */
    public Optional<Instant> nextValidityStart() {
        Instant now = clock.instant();
        return java.util.stream.Stream.of(signing, encryption, tls, audit).flatMap(List::stream)
                .map(e -> e.certificate().getNotBefore().toInstant()).filter(t -> t.isAfter(now)).min(Instant::compareTo);
    }

    /** The same keys, with the choice of the newest valid ones made again now. */
    public KeyMaterial reselected() {
        return new KeyMaterial(signing, encryption, tls, audit, clock);
    }

    /** {@link #encryptionCertificate()} followed by its CAs, as the keystore holds them. */
    public List<X509Certificate> encryptionChain() {
        return newestValid(encryption, clock).chain();
    }

    /**
     * Every signing certificate, newest first: what the gateway's own signatures may carry, e.g.
     * on its sealed storage key, which must stay verifiable while a signing key rotates.
     */
    public List<X509Certificate> signingCertificates() {
        return signing.stream().map(Entry::certificate).toList();
    }

    /** Every encryption certificate, newest first: all of them are accepted for decryption. */
    public List<X509Certificate> encryptionCertificates() {
        return encryption.stream().map(Entry::certificate).toList();
    }

    /** The TLS certificate chain (leaf first) of the newest TLS key already valid, if the keystore has one. */
    public Optional<List<X509Certificate>> tlsChain() {
        return tls.isEmpty() ? Optional.empty() : Optional.of(newestValid(tls, clock).chain());
    }

    /**
     * A CMS signer for the current signing key: signed attributes content-type, message-digest,
     * signing-time (the given instant) and CMS algorithm protection (RFC 6211).
     */
    public SignerInfoGenerator signerInfoGenerator(AlgorithmProfile profile, CryptoProviders providers,
                                                   Instant signingTime) {
        return Signers.signerInfoGenerator(signer, profile, providers, signingTime);
    }

    /**
     * A decryptor for one RecipientInfo of an AuthEnvelopedData, if it is addressed to one of our
     * encryption certificates. The caller checks the algorithms against the profile first.
     */
    public Optional<WholeContentRecipient> recipientFor(RecipientInformation info, CryptoProviders providers) {
        for (int i = 0; i < encryption.size(); i++) {
            if (!info.getRID().match(encryptionHolders.get(i))) {
                continue;
            }
            Optional<WholeContentRecipient> recipient = AuthEnvelopedRecipients.of(info, encryption.get(i).key(),
                    encryption.get(i).token(), encryptionHolders.get(i), providers);
            if (recipient.isPresent()) {
                return recipient;
            }
        }
        return Optional.empty();
    }

    /** A RecipientInfo of an envelope addressed to one of our encryption keys, with what opens it. */
    public record ChosenRecipient(RecipientInformation info, WholeContentRecipient recipient) {
    }

    /** The first RecipientInfo addressed to one of our encryption keys, or {@code envelope_not_for_us}. */
    public ChosenRecipient chooseRecipient(java.util.Collection<RecipientInformation> infos, CryptoProviders providers) {
        for (RecipientInformation info : infos) {
            Optional<WholeContentRecipient> match = recipientFor(info, providers);
            if (match.isPresent()) {
                return new ChosenRecipient(info, match.get());
            }
        }
        throw new PuenteException(ErrorCode.ENVELOPE_NOT_FOR_US);
    }

    /** Key managers presenting the TLS key only (never the signing or encryption key). */
    public KeyManager[] tlsKeyManagers() {
        if (tls.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "the keystore has no \"" + TLS + "\" key");
        }
        // one key only, the newest already valid: which of several a JDK key manager picks is unspecified
        return TlsKeys.keyManagers(List.of(newestValid(tls, clock)));
    }
}
