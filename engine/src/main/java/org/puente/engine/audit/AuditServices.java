package org.puente.engine.audit;

import org.puente.audit.verify.AuditVerification;
import java.time.Clock;
import java.util.function.LongConsumer;
import java.util.Optional;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.keys.SigningKeys;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.engine.config.AuditSettings;
import org.puente.engine.config.GatewayConfig;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.security.GatewaySecurity;
import org.puente.audit.store.ArchiveStore;
import org.puente.audit.store.AuditStore;
import org.puente.audit.StoredCheckpoint;
import org.puente.audit.store.CheckpointStore;
import org.puente.audit.store.TreeStore;
import org.puente.audit.store.WitnessStore;
import org.puente.audit.store.TimestampStore;
import org.puente.envelope.timestamp.TimeStampClient;
import org.puente.envelope.timestamp.TimeStampVerifier;
import org.puente.audit.AuditKeys;
import org.puente.engine.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit side of one gateway, built from its configuration: the chained log (registered with
 * the store's writer), signed checkpoints, exports, retention, the daily reconciliation with the
 * peer. Checkpoints, exports and archives are signed with the audit key (keystore alias
 * {@code audit}); reconciliation reports keep the message key. On start it signs a checkpoint if
 * the previous run left entries uncovered; on shutdown it signs a last one.
 *
 * <p>Implementation note: the audit key is checked with the gateway's other keys, at the start and
 * at each reload ({@link org.puente.engine.security.OwnKeys}): not the gateway's, without the audit
 * purpose or also with emailProtection, or a message key with the audit purpose, is refused.
 */
public final class AuditServices {
    private static final Logger LOG = LoggerFactory.getLogger(AuditServices.class);

    private final AuditSettings settings;
    private final AuditLog log;
    private final AuditCheckpoints checkpoints;
    private final AuditExporter exporter;
    private final AuditRetention retention;
    private final PeerReconciliation reconciliation;
    private final AuditStore store;
    private final CheckpointStore checkpointStore;
    private final ArchiveStore archiveStore;
    private final Witness witness;
    private final Witnessing witnessing;
    private final AuditProofs proofs;
    private final CheckpointStamps stamps;

    public AuditServices(GatewayConfig config, Transactions tx, AuditLog log, GatewaySecurity security, PeerClient peer,
                         LongConsumer mismatches, Clock clock) {
        this.settings = config.audit();
        this.log = log;
        tx.addParticipant(log);
        this.store = new AuditStore();
        this.checkpointStore = new CheckpointStore();
        this.archiveStore = new ArchiveStore();
        // both follow a key reload: each signature takes the key in force
        StatementSigner signer = new StatementSigner(new SigningKeys(security::keys, security.profile()),
                CryptoProviders.RECOMMENDED, clock);
        StatementSigner auditSigner = new StatementSigner(new SigningKeys(security.keyRing()::audit, security.profile()),
                CryptoProviders.RECOMMENDED, clock);
        StatementVerifier verifier = new StatementVerifier(security.profile());
        SignerTrust ownTrust = SignerTrust.builder()
                .roots(TrustMaterial.certificates(config.pki().ownRoots(), null))
                .crls(TrustMaterial.crls(config.pki().crls()))
                .expectedSignerName(config.gatewayName())
                .noAgeLimit()
                .build();
        // the gateway's own check of what it signs: checkpoints made before the audit key (legacy)
        // are its own history and are accepted; an auditor decides about them with --legacy
        AuditVerification verification = new AuditVerification(verifier, ownTrust,
                new AuditVerification.Options(settings.checkpointInterval(), null, true, clock));
        String name = config.gatewayName();
        this.checkpoints = new AuditCheckpoints(tx, store, checkpointStore, auditSigner, name, config.country(),
                settings.checkpointInterval(), clock, new AuditTree(tx, store, new TreeStore()));
        this.exporter = new AuditExporter(tx, store, checkpointStore, checkpoints, verification, auditSigner, name,
                config.country(), clock);
        this.retention = new AuditRetention(tx, store, checkpointStore, archiveStore, log, exporter, verification,
                log.dialect(), settings.retention(), settings.archiveDir(), name, config.country(), clock);
        Parties parties = new Parties(name, config.country(), config.peer().gatewayName());
        this.reconciliation = new PeerReconciliation(tx, log, new PeerReconciliation.Statements(signer, verifier,
                security.peerTrust()), peer, parties, settings.reconcileDelay(), clock, mismatches);
        WitnessStore witnessStore = new WitnessStore();
        // the peer's trust in force at each use: it follows a CRL reload
        java.util.function.Supplier<SignerTrust> peerAudit = () -> AuditKeys.trust(security.peerTrust());
        this.witness = new Witness(tx, witnessStore, log, auditSigner, verifier, peerAudit,
                parties, clock);
        this.witnessing = new Witnessing(tx, checkpoints, witnessStore, log, peer,
                new Witnessing.Trusts(verifier, AuditKeys.trust(ownTrust), peerAudit), name, clock);
        this.stamps = new CheckpointStamps(tx, checkpointStore, new TimestampStore(), tsa(config, clock));
        this.proofs = new AuditProofs(tx, checkpoints.tree(), store, checkpointStore, witnessStore);
        exporter.witnessedBy(proofs::witnessLine);
        checkpoints.checkpointOnStart();
    }

    /** Inclusion and consistency proofs, cosigned checkpoints, witnessed ones (the auditor API). */
    public AuditProofs proofs() {
        return proofs;
    }

    /** This gateway as the witness of the peer's log. */
    public Witness witness() {
        return witness;
    }

    /** The peer as the witness of this gateway's log. */
    public Witnessing witnessing() {
        return witnessing;
    }

    /**
     * The checkpoint tick: signs a checkpoint if the head moved, has the checkpoints that wait for
     * a time-stamp stamped (a TSA outage leaves them waiting), then asks the peer to cosign the latest.
     */
    public void checkpointAndWitness() {
        checkpoints.checkpoint();
        try {
            stamps.stampPending();
        } catch (RuntimeException e) {
            LOG.warn("audit checkpoints wait for their time-stamp: {}", e.toString());
        }
        witnessing.witnessLatest();
    }

    /** RFC 3161 time-stamps of the checkpoints ({@code puente.audit.tsa-url}). */
    public CheckpointStamps stamps() {
        return stamps;
    }

    /** The configured TSA, whose certificate must chain to puente.audit.tsa-trust (default: this country's roots). */
    private static Optional<CheckpointStamps.Tsa> tsa(GatewayConfig config, Clock clock) {
        AuditSettings.TimeStamping t = config.audit().timeStamping();
        if (!t.enabled()) {
            return Optional.empty();
        }
        TimeStampVerifier verifier = new TimeStampVerifier(TrustMaterial.certificates(
                t.trust().isEmpty() ? config.pki().ownRoots() : t.trust(), null), TrustMaterial.crls(config.pki().crls()), clock);
        return Optional.of(new CheckpointStamps.Tsa(new TimeStampClient(t.url(), verifier, t.timeout()), verifier));
    }

    public AuditSettings settings() {
        return settings;
    }

    public AuditLog log() {
        return log;
    }

    public AuditCheckpoints checkpoints() {
        return checkpoints;
    }

    public AuditExporter exporter() {
        return exporter;
    }

    public AuditRetention retention() {
        return retention;
    }

    public PeerReconciliation reconciliation() {
        return reconciliation;
    }

    public AuditStore store() {
        return store;
    }

    public CheckpointStore checkpointStore() {
        return checkpointStore;
    }

    public ArchiveStore archiveStore() {
        return archiveStore;
    }

    /** Signs the head one last time before the store closes: a clean stop always leaves a checkpoint. */
    public void checkpointOnShutdown() {
        try {
            Optional<StoredCheckpoint> cp = checkpoints.checkpoint();
            cp.ifPresent(c -> LOG.info("audit checkpoint on shutdown at entry {}", c.seq()));
        } catch (RuntimeException e) {
            LOG.error("no audit checkpoint on shutdown: {}", e.toString());
        }
    }
}
