package org.puente.engine.security;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedTrustManager;
import org.puente.engine.config.GatewayConfig;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.keys.Pkcs11Token;
import org.puente.envelope.keys.RotatingKeyManager;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys and trust of one gateway, loaded and checked at start-up: the keystore (its password from
 * the environment), both countries' roots, the CRLs, the peer's encryption certificate, and the
 * TLS contexts of the three listeners and of the two clients. A certificate that does not match
 * its configured role, roots shared by both countries, a CRL set that would lock clients out, or
 * a key of the public SAMPLE PKI without {@code puente.sample=true} stop the gateway.
 *
 * <p>Trust in force is one immutable snapshot (CRLs and the PKIX validations built from them):
 * a CRL reload builds and checks a complete new snapshot, the envelope trust and the peer's
 * encryption certificate against it, and only then swaps it in; any failure leaves everything as
 * it was.
 */
public final class GatewaySecurity {
    private static final Logger LOG = LoggerFactory.getLogger(GatewaySecurity.class);

    /** The CRLs in force and the PKIX validations of both countries' certificates built from them. */
    private record Trust(CrlSet crls, X509ExtendedTrustManager own, X509ExtendedTrustManager peer) {
    }

    /** What a successful CRL reload loaded, and what it means for the peer's encryption certificate. */
    public record CrlReload(int crls, Instant nextUpdate, Optional<String> peerKeyRefusal) {
        /** One line for the audit log and the operator. */
        public String summary() {
            return crls + " CRLs reloaded, the first next update at " + nextUpdate
                    + peerKeyRefusal.map(r -> "; the peer's encryption certificate " + r + ": nothing is sealed to it")
                            .orElse("");
        }
    }

    /** The last reload's outcome, for the operators' gauge and alert. */
    public record ReloadOutcome(Instant at, boolean failed, String detail) {
    }

    private final GatewayConfig config;
    private final Clock clock;
    private final KeyRing keys;
    private final AlgorithmProfile profile;
    private final List<X509Certificate> ownRoots;
    private final List<X509Certificate> peerRoots;
    private final CertificateAuthorities authorities;
    private final PeerRecipient peerRecipient;
    private final SignerTrust peerTrust;
    private final ReloadableTrustManager ownClients;
    private final SSLContext ownServer;
    private final SSLContext peerServer;
    private final SSLContext peerClient;
    private final SSLContext agencyClient;
    private volatile Trust trust;
    private volatile ReloadOutcome lastReload;

    public GatewaySecurity(GatewayConfig config) {
        this(config, Clock.systemUTC());
    }

    public GatewaySecurity(GatewayConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        GatewayConfig.Pki pki = config.pki();
        this.profile = profile(pki.profile());
        this.keys = new KeyRing(ownKeys(pki.keys()), config.gatewayName(), profile, pki.sample(),
                pki.keys().overlap(), clock);
        KeyMaterial startKeys = keys.current();
        List<X509Certificate> tlsChain = startKeys.tlsChain().orElseThrow();
        this.ownRoots = TrustMaterial.certificates(pki.ownRoots(), null);
        this.peerRoots = TrustMaterial.certificates(pki.peerRoots(), null);
        StartupChecks.requireSeparateRoots(ownRoots, peerRoots);
        List<X509Certificate> peerEncryptionChain = TrustMaterial.certificates(List.of(config.peer().encryptionCertificate()), null);
        StartupChecks.requireName("puente.peer.encryption-certificate", peerEncryptionChain.get(0), config.peer().gatewayName());
        List<X509Certificate> intermediates = pki.intermediates().isEmpty() ? List.of()
                : TrustMaterial.certificates(pki.intermediates(), null);
        StartupChecks.requireChainToPeerRoot(peerEncryptionChain, intermediates, peerRoots);

        List<X509Certificate> candidates = new ArrayList<>();
        candidates.addAll(startKeys.signingChain());
        candidates.addAll(tlsChain);
        candidates.addAll(peerEncryptionChain);
        candidates.addAll(intermediates);
        List<X509Certificate> roots = new ArrayList<>(ownRoots);
        roots.addAll(peerRoots);
        this.authorities = CertificateAuthorities.of(roots, candidates);
        CrlSet crls;
        try {
            crls = CrlSet.load(pki.crls(), authorities, null, clock.instant());
        } catch (PuenteException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.pki.crls: " + reason(e));
        }
        this.peerTrust = SignerTrust.builder().roots(peerRoots).crls(crls.crls()).clock(clock)
                .expectedSignerName(config.peer().gatewayName()).build();
        this.trust = new Trust(crls, ReloadableTrustManager.pkix(ownRoots, crls.crls()),
                ReloadableTrustManager.pkix(peerRoots, crls.crls()));
        this.peerRecipient = new PeerRecipient(peerEncryptionChain, null, clock);
        Optional<String> refusal = judgePeerKey(peerRecipient.chain(), crls);
        refusal.ifPresent(r -> LOG.warn("the peer's encryption certificate (puente.peer.encryption-certificate) {}: nothing"
                + " is sealed to it until a valid one is configured (submissions answered peer_key_unusable)", r));
        peerRecipient.judged(peerRecipient.chain(), refusal.orElse(null));

        ReloadableTrustManager.EndEntityRule clientAuth = ReloadableTrustManager.requirePurpose(
                ReloadableTrustManager.CLIENT_AUTH, "clientAuth");
        ReloadableTrustManager.EndEntityRule serverAuth = ReloadableTrustManager.requirePurpose(
                ReloadableTrustManager.SERVER_AUTH, "serverAuth");
        ReloadableTrustManager.EndEntityRule peerName = ReloadableTrustManager.requireCommonName(config.peer().gatewayName());
        this.ownClients = new ReloadableTrustManager(ownRoots, () -> trust.own(), clientAuth, serverAuth);
        KeyManager[] tlsKeys = {new RotatingKeyManager(keys::current)};
        this.ownServer = TlsContexts.create(tlsKeys, ownClients);
        this.agencyClient = TlsContexts.create(tlsKeys, ownClients);
        ReloadableTrustManager peerTls = new ReloadableTrustManager(peerRoots, () -> trust.peer(), clientAuth.and(peerName),
                serverAuth.and(peerName));
        this.peerServer = TlsContexts.create(tlsKeys, peerTls);
        this.peerClient = TlsContexts.create(tlsKeys, peerTls);
    }

    /**
     * Reads the PKCS#12 keystore as it is now, at the start and at each reload; or opens the
     * PKCS#11 token once (a token's keys are rotated in the token and taken up by a restart).
     */
    private static java.util.function.Supplier<KeyMaterial> ownKeys(GatewayConfig.Keys keys) {
        if (keys.token().isEmpty()) {
            return () -> KeyMaterial.fromEnvironment(keys.keystore(), keys.passwordEnv());
        }
        GatewayConfig.Pkcs11 token = keys.token().get();
        java.util.concurrent.atomic.AtomicBoolean opened = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (opened.getAndSet(true)) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "the keys are in a PKCS#11 token"
                        + " (puente.pki.pkcs11.library), which is opened once: restart the gateway to use new keys");
            }
            return Pkcs11Token.fromEnvironment(new Pkcs11Token.Settings(token.library(), token.slotIndex(),
                    token.labels()), token.pinEnv());
        };
    }

    private static AlgorithmProfile profile(String name) {
        try {
            return AlgorithmProfile.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.pki.profile must be one of "
                    + java.util.Arrays.toString(AlgorithmProfile.values()) + ", got '" + name + "'");
        }
    }

    /**
     * Validates the peer's encryption certificate against the given CRLs: empty if messages may be
     * sealed to it, the reason if it is revoked, expired or not yet valid; any other failure (no
     * path to the other country's root, wrong key usage) is thrown.
     */
    private Optional<String> judgePeerKey(List<X509Certificate> chain, CrlSet crls) {
        try {
            peerTrust.validateRecipient(chain.get(0), chain, crls.crls());
            return Optional.empty();
        } catch (PuenteException e) {
            return switch (e.errorCode()) {
                case CERTIFICATE_REVOKED -> Optional.of("was revoked by its CA");
                case CERTIFICATE_EXPIRED -> Optional.of("expired at " + chain.get(0).getNotAfter().toInstant());
                case CERTIFICATE_NOT_YET_VALID ->
                        Optional.of("is not valid before " + chain.get(0).getNotBefore().toInstant());
                default -> throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e,
                        "puente.peer.encryption-certificate: " + e.sentence(java.util.Locale.ENGLISH)
                                + (chain.size() == 1 && e.errorCode() == ErrorCode.UNTRUSTED_CHAIN
                                        ? " (give the certificate followed by its CA certificates, e.g. gateway-encryption.chain.pem)"
                                        : ""));
            };
        }
    }

    private static String reason(PuenteException e) {
        return e.args().isEmpty() ? e.getMessage() : String.valueOf(e.args().get(0));
    }

    /** The gateway's own keys in force now (a reload may replace them; ask again rather than keep them). */
    public KeyMaterial keys() {
        return keys.current();
    }

    /** The gateway's own keys and their reload. */
    public KeyRing keyRing() {
        return keys;
    }

    public AlgorithmProfile profile() {
        return profile;
    }

    public X509Certificate peerEncryptionCertificate() {
        return peerRecipient.certificate();
    }

    /** The peer's encryption certificate and whether messages may be sealed to it now. */
    public PeerRecipient peerRecipient() {
        return peerRecipient;
    }

    public SignerTrust peerTrust() {
        return peerTrust;
    }

    /** Agency and operations listeners: clients of this country's CA with the clientAuth purpose. */
    public SSLContext ownClientsServerContext() {
        return ownServer;
    }

    /** The trust of the agency and operations listeners (tests call it as a handshake would). */
    ReloadableTrustManager ownClientsTrust() {
        return ownClients;
    }

    /** Peer listener: the other country's gateway only (its root, its name, clientAuth). */
    public SSLContext peerServerContext() {
        return peerServer;
    }

    /** Calls to the peer gateway: its certificate must chain to the other country's root and name the peer. */
    public SSLContext peerClientContext() {
        return peerClient;
    }

    /** Calls to our agencies' push endpoints: their certificates chain to our root. */
    public SSLContext agencyClientContext() {
        return agencyClient;
    }

    /** When the first CRL in force goes stale (after which every TLS client would be refused). */
    public Instant crlNextUpdate() {
        return trust.crls().nextUpdate();
    }

    /** The outcome of the last operator's reload, if any. */
    public Optional<ReloadOutcome> lastReload() {
        return Optional.ofNullable(lastReload);
    }

    /**
     * Re-reads the configured CRL files into every trust decision (the TLS listeners and clients,
     * the envelope trust, the peer's encryption certificate), all or nothing.
     *
     * @throws PuenteException {@code crls_refused} naming the problem; the previous CRLs stay in force
     */
    public synchronized CrlReload reloadCrls() {
        Instant now = clock.instant();
        Trust before = trust;
        try {
            CrlSet next = CrlSet.load(config.pki().crls(), authorities, before.crls(), now);
            Trust candidate = new Trust(next, ReloadableTrustManager.pkix(ownRoots, next.crls()),
                    ReloadableTrustManager.pkix(peerRoots, next.crls()));
            peerTrust.checkCrls(next.crls());
            List<X509Certificate> judged = peerRecipient.chain();
            Optional<String> peerKey = judgePeerKey(judged, next);
            // Nothing below can fail: the new trust is complete and checked.
            trust = candidate;
            peerTrust.reloadCrls(next.crls());
            peerRecipient.judged(judged, peerKey.orElse(null));
            CrlReload done = new CrlReload(next.size(), next.nextUpdate(), peerKey);
            lastReload = new ReloadOutcome(now, false, done.summary());
            LOG.info("CRL reload: {}", done.summary());
            return done;
        } catch (PuenteException e) {
            PuenteException refused = e.errorCode() == ErrorCode.CRLS_REFUSED ? e
                    : new PuenteException(ErrorCode.CRLS_REFUSED, e, reason(e));
            lastReload = new ReloadOutcome(now, true, reason(refused));
            LOG.warn("CRL reload refused, the previous CRLs stay in force: {}", reason(refused));
            throw refused;
        }
    }

    /** Certificates whose expiry operators watch, by role. */
    public Map<String, X509Certificate> watchedCertificates() {
        Map<String, X509Certificate> m = new LinkedHashMap<>();
        KeyMaterial own = keys.current();
        m.put("gateway-signing", own.signingCertificate());
        m.put("gateway-encryption", own.encryptionCertificate());
        own.tlsChain().ifPresent(c -> m.put("gateway-tls", c.get(0)));
        m.put("peer-encryption", peerRecipient.certificate());
        for (int i = 0; i < ownRoots.size(); i++) {
            m.put("own-root" + (i == 0 ? "" : "-" + i), ownRoots.get(i));
        }
        for (int i = 0; i < peerRoots.size(); i++) {
            m.put("peer-root" + (i == 0 ? "" : "-" + i), peerRoots.get(i));
        }
        return m;
    }
}
