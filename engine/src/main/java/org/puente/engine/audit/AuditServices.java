package org.puente.engine.audit;

import org.puente.audit.verify.AuditVerification;
import java.time.Clock;
import java.util.function.LongConsumer;
import java.util.Optional;
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
import org.puente.audit.store.ReconciliationStore;
import org.puente.engine.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit side of one gateway, built from its configuration: the chained log (registered with
 * the store's writer), signed checkpoints, exports, retention, the daily reconciliation with the
 * peer. On shutdown it signs a last checkpoint.
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

    public AuditServices(GatewayConfig config, Transactions tx, AuditLog log, GatewaySecurity security, PeerClient peer,
                         LongConsumer mismatches, Clock clock) {
        this.settings = config.audit();
        this.log = log;
        tx.addParticipant(log);
        this.store = new AuditStore();
        this.checkpointStore = new CheckpointStore();
        this.archiveStore = new ArchiveStore();
        StatementSigner signer = new StatementSigner(security.keys(), security.profile());
        StatementVerifier verifier = new StatementVerifier(security.profile());
        SignerTrust ownTrust = SignerTrust.builder()
                .roots(TrustMaterial.certificates(config.pki().ownRoots(), null))
                .crls(TrustMaterial.crls(config.pki().crls()))
                .expectedSignerName(config.gatewayName())
                .noAgeLimit()
                .build();
        String name = config.gatewayName();
        this.checkpoints = new AuditCheckpoints(tx, store, checkpointStore, signer, name, config.country(), clock);
        this.exporter = new AuditExporter(tx, store, checkpointStore, signer, name, config.country(), clock);
        this.retention = new AuditRetention(tx, store, checkpointStore, archiveStore, log, exporter,
                new AuditVerification(verifier, ownTrust), settings.retention(), settings.archiveDir(), name,
                config.country(), clock);
        this.reconciliation = new PeerReconciliation(tx, new ReconciliationStore(), log, signer, verifier,
                security.peerTrust(), peer, name, config.peer().gatewayName(), config.country(), settings.reconcileDelay(),
                clock, mismatches);

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
