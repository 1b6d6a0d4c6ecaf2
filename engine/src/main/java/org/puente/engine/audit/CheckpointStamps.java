package org.puente.engine.audit;

import org.puente.envelope.Fingerprints;
import java.util.List;
import java.util.Optional;
import org.puente.audit.StoredCheckpoint;
import org.puente.audit.store.CheckpointStore;
import org.puente.audit.store.TimestampStore;
import org.puente.engine.store.Transactions;
import org.puente.envelope.timestamp.TimeStampClient;
import org.puente.envelope.timestamp.TimeStampException;
import org.puente.envelope.timestamp.TimeStampVerifier;
import org.puente.envelope.timestamp.VerifiedTimeStamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3161 time-stamps on this gateway's checkpoints, when a TSA is configured
 * ({@code puente.audit.tsa-url}): after each checkpoint tick, every checkpoint still without a
 * token is stamped, oldest first (imprint: SHA-256 of the checkpoint's DER CMS), and the verified
 * token is kept beside it ({@code audit_timestamp}). A TSA that cannot answer never holds anything
 * up: the checkpoints wait for their token, and how many wait is {@code gateway.audit.timestamp.backlog}.
 *
 * <p>Implementation note: a checkpoint is stamped after it is signed and stored, not before — the
 * token proves the checkpoint existed by the TSA's time, which is what an auditor needs against a
 * gateway that might back-date one. Checkpoints signed before the TSA was first used (by an
 * earlier configuration) are not stamped after the fact: the backlog counts from the latest
 * stamped checkpoint, or from the latest checkpoint at this process's start when none is.
 */
public final class CheckpointStamps {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStamps.class);

    private final Transactions tx;
    private final CheckpointStore checkpoints;
    private final TimestampStore store;
    private final Optional<Tsa> tsa;
    /** The latest checkpoint's position when this process started: with no token yet, stamping starts after it. */
    private final long startSeq;

    /** The TSA's client and the verifier of its tokens. */
    public record Tsa(TimeStampClient client, TimeStampVerifier verifier) {
    }

    public CheckpointStamps(Transactions tx, CheckpointStore checkpoints, TimestampStore store, Optional<Tsa> tsa) {
        this.tx = tx;
        this.checkpoints = checkpoints;
        this.store = store;
        this.tsa = tsa;
        this.startSeq = tx.read(c -> checkpoints.latest(c)).map(StoredCheckpoint::seq).orElse(0L);
    }

    public boolean enabled() {
        return tsa.isPresent();
    }

    /** Stamps the checkpoints waiting for a token; returns how many were stamped (stops at the first failure). */
    public synchronized int stampPending() {
        if (tsa.isEmpty()) {
            return 0;
        }
        int stamped = 0;
        for (StoredCheckpoint cp : pending()) {
            byte[] imprint = Fingerprints.sha256(cp.statement());
            try {
                byte[] token = tsa.get().client().stamp(imprint);
                VerifiedTimeStamp v = tsa.get().verifier().verify(token, imprint);
                tx.write(c -> store.add(c, new TimestampStore.Stamp(cp.seq(), v.genTime(), v.tsaSubject(), token)));
                stamped++;
            } catch (TimeStampException e) {
                LOG.warn("audit checkpoint {} waits for its time-stamp: {} ({})", cp.seq(), e.reason(), e.detail());
                break;
            }
        }
        return stamped;
    }

    /** Checkpoints waiting for a token (0 without a TSA): counted, not read, so a scrape stays cheap. */
    public long backlog() {
        return tsa.isEmpty() ? 0 : tx.read(c -> checkpoints.count(c, firstPending(c), Long.MAX_VALUE));
    }

    private List<StoredCheckpoint> pending() {
        return tx.read(c -> checkpoints.between(c, firstPending(c), Long.MAX_VALUE));
    }

    /** After the latest stamped checkpoint; with none yet, after the latest one signed before this process started. */
    private long firstPending(java.sql.Connection c) throws java.sql.SQLException {
        long latest = store.latestSeq(c);
        return (latest > 0 ? latest : startSeq) + 1;
    }
}
