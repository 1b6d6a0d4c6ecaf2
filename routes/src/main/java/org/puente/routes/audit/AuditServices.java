package org.puente.routes.audit;

import java.time.Clock;
import java.util.function.LongConsumer;
import java.util.Optional;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.routes.api.AuditHandler;
import org.puente.routes.config.AuditSettings;
import org.puente.routes.config.GatewayConfig;
import org.puente.routes.peer.PeerClient;
import org.puente.routes.security.GatewaySecurity;
import org.puente.routes.store.ArchiveStore;
import org.puente.routes.store.AuditLog;
import org.puente.routes.store.AuditStore;
import org.puente.routes.store.CheckpointStore;
import org.puente.routes.store.ReconciliationStore;
import org.puente.routes.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit side of one gateway, built from its configuration: the chained log (registered with
 * the store's writer), signed checkpoints, exports, retention, the daily reconciliation with the
 * peer and the auditor API handler. On start-up it chains events written before the chain
 * existed; on shutdown it signs a last checkpoint.
 */
public final class AuditServices {
    private static final Logger LOG = LoggerFactory.getLogger(AuditServices.class);

    private final AuditSettings settings;
    private final AuditLog log;
    private final AuditCheckpoints checkpoints;
    private final AuditExporter exporter;
    private final AuditRetention retention;
    private final PeerReconciliation reconciliation;
    private final AuditHandler handler;

    public AuditServices(GatewayConfig config, Transactions tx, AuditLog log, GatewaySecurity security, PeerClient peer,
                         LongConsumer mismatches, Clock clock) {
        this.settings = config.audit();
        this.log = log;
        tx.addParticipant(log);
        AuditStore store = new AuditStore();
        CheckpointStore checkpointStore = new CheckpointStore();
        ArchiveStore archiveStore = new ArchiveStore();
        int chained = tx.write(store::chainUnchained);
        if (chained > 0) {
            LOG.info("chained {} audit events written before the hash chain existed", chained);
        }
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
        this.handler = new AuditHandler(tx, store, checkpointStore, archiveStore, log, exporter,
                config.dataDir().resolve("audit-exports"), name, clock);
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

    public AuditHandler handler() {
        return handler;
    }

    /** Signs the head one last time before the store closes: a clean stop always leaves a checkpoint. */
    public void checkpointOnShutdown() {
        try {
            Optional<CheckpointStore.StoredCheckpoint> cp = checkpoints.checkpoint();
            cp.ifPresent(c -> LOG.info("audit checkpoint on shutdown at entry {}", c.seq()));
        } catch (RuntimeException e) {
            LOG.error("no audit checkpoint on shutdown: {}", e.toString());
        }
    }
}
