package org.puente.engine.audit;

import org.puente.audit.CheckpointContent;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.statement.VerifiedStatement;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.audit.store.AuditStore;
import org.puente.audit.StoredCheckpoint;
import org.puente.audit.store.CheckpointStore;
import org.puente.engine.store.Transactions;

/**
 * Signs the head of the audit chain with the gateway's signing key at a fixed interval and on
 * shutdown, and stores the checkpoint beside the log; verifies checkpoints against the gateway's
 * own root and name.
 *
 * <p>Implementation note: signing happens outside the store's writer (CONVENTIONS: no
 * cryptography in a unit of work); the head read before signing is committed, so the checkpoint
 * vouches for entries that are already on disk. Several instances may sign the same head: the
 * first stored wins, the others are dropped.
 */
public final class AuditCheckpoints {
    private final Transactions tx;
    private final AuditStore store;
    private final CheckpointStore checkpoints;
    private final StatementSigner signer;
    private final String gateway;
    private final Country country;
    private final Clock clock;

    public AuditCheckpoints(Transactions tx, AuditStore store, CheckpointStore checkpoints, StatementSigner signer,
                            String gateway, Country country, Clock clock) {
        this.tx = tx;
        this.store = store;
        this.checkpoints = checkpoints;
        this.signer = signer;
        this.gateway = gateway;
        this.country = country;
        this.clock = clock;
    }

    /** Signs the current head unless it is already checkpointed; returns the new checkpoint, if any. */
    public Optional<StoredCheckpoint> checkpoint() {
        AuditStore.Head head = tx.read(store::head);
        if (head.seq() == 0) {
            return Optional.empty();
        }
        Optional<StoredCheckpoint> latest = tx.read(checkpoints::latest);
        if (latest.isPresent() && latest.get().seq() >= head.seq()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        byte[] cms = signer.sign(StatementType.AUDIT_CHECKPOINT,
                CanonicalJson.bytes(new CheckpointContent(gateway, country.name(), head.seq(), head.hash(), now)));
        StoredCheckpoint cp = new StoredCheckpoint(head.seq(), head.hash(), now, cms);
        boolean stored = tx.write(c -> checkpoints.insert(c, cp));
        return stored ? Optional.of(cp) : Optional.empty();
    }
}
