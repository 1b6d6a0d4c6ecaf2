package org.puente.engine.audit;

import org.puente.audit.AuditKeys;
import org.puente.audit.verify.AuditVerification;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.engine.config.AuditSettings;
import org.puente.engine.config.GatewayConfig;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.security.CertificateNames;
import org.puente.engine.security.GatewaySecurity;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
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
 * peer. Checkpoints, exports and archives are signed with the audit key (keystore alias
 * {@code audit}); reconciliation reports keep the message key. On start it signs a checkpoint if
 * the previous run left entries uncovered; on shutdown it signs a last one.
 *
 * <p>Implementation note: the start refuses an audit certificate that is not the gateway's, that
 * lacks the audit purpose or that also carries emailProtection, and a message-signing certificate
 * that carries the audit purpose: the two keys must not be able to stand in for each other.
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
        StatementSigner auditSigner = new StatementSigner(auditKeys(security.keys(), config.gatewayName()),
                security.profile());
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
                settings.checkpointInterval(), clock);
        this.exporter = new AuditExporter(tx, store, checkpointStore, checkpoints, verification, auditSigner, name,
                config.country(), clock);
        this.retention = new AuditRetention(tx, store, checkpointStore, archiveStore, log, exporter, verification,
                log.dialect(), settings.retention(), settings.archiveDir(), name, config.country(), clock);
        this.reconciliation = new PeerReconciliation(tx, new ReconciliationStore(), log, signer, verifier,
                security.peerTrust(), peer, name, config.peer().gatewayName(), config.country(), settings.reconcileDelay(),
                clock, mismatches);
        checkpoints.checkpointOnStart();
    }

    /**
     * The audit key of the keystore, checked: the gateway's name, the audit purpose, and no
     * emailProtection (else it could sign messages the peer accepts); and a message key without
     * the audit purpose (else it could sign checkpoints). One clear line names the key otherwise.
     */
    static KeyMaterial auditKeys(KeyMaterial keys, String gatewayName) {
        KeyMaterial audit = keys.auditSigning().orElseThrow(() -> new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                "puente.pki.keystore has no \"" + KeyMaterial.AUDIT + "\" key: the audit log's checkpoints and exports are"
                        + " signed with an audit key of their own (docs/audit.md; puente pki generate writes one)"));
        X509Certificate cert = audit.signingCertificate();
        String cn = CertificateNames.commonName(cert);
        if (!gatewayName.equalsIgnoreCase(cn)) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.pki.keystore (alias audit) is a certificate"
                    + " for '" + cn + "', not for '" + gatewayName + "'");
        }
        List<String> auditPurposes = purposes(cert);
        if (!auditPurposes.contains(AuditKeys.PURPOSE.getId())
                || auditPurposes.contains(KeyPurposeId.id_kp_emailProtection.getId())) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.pki.keystore (alias audit) must carry the"
                    + " extended key usage " + AuditKeys.PURPOSE.getId() + " (audit signing) and not emailProtection");
        }
        if (purposes(keys.signingCertificate()).contains(AuditKeys.PURPOSE.getId())) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.pki.keystore (alias signing) carries the"
                    + " audit-signing purpose: the message key must not be able to sign the audit log");
        }
        return audit;
    }

    private static List<String> purposes(X509Certificate cert) {
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            return eku == null ? List.of() : eku;
        } catch (CertificateParsingException e) {
            return List.of();
        }
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
