package org.puente.engine.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payload sweep: encrypts payloads still stored in clear (rows from before encryption), then
 * purges the payloads of finished messages once {@code puente.data.payload-retention} has passed,
 * keeping their digests, receipts, notices, states and audit entries. Any instance may run it; the
 * SQL only touches rows still due, so concurrent sweeps do not purge or count a row twice.
 *
 * <p>Implementation note: each batch of purges is one unit of work with its {@code PAYLOADS_PURGED}
 * audit entry (the count, and up to which time), so a purge is never on disk without its entry.
 * Batches are bounded ({@value #BATCH} rows) so that one unit never holds the writer for long; a
 * normal sweep is one batch, hence one entry. A sweep that finds nothing to purge writes nothing.
 */
public final class PayloadRetention {
    /** Rows per unit of work. */
    static final int BATCH = 1000;
    /** Payloads in clear encrypted per unit of work (read and written one at a time). */
    static final int CLEAR_BATCH = 100;
    private static final Logger LOG = LoggerFactory.getLogger(PayloadRetention.class);

    private final Transactions tx;
    private final OutboxStore outbox;
    private final InboxStore inbox;
    private final AuditLog audit;
    private final Duration retention;
    private final String ownName;
    private final Clock clock;

    /** What one sweep did. */
    public record Sweep(int encrypted, int purgedOutbound, int purgedInbound) {
        public int purged() {
            return purgedOutbound + purgedInbound;
        }
    }

    public PayloadRetention(Transactions tx, OutboxStore outbox, InboxStore inbox, AuditLog audit, Duration retention,
                            String ownName, Clock clock) {
        this.tx = tx;
        this.outbox = outbox;
        this.inbox = inbox;
        this.audit = audit;
        this.retention = retention;
        this.ownName = ownName;
        this.clock = clock;
    }

    public Duration retention() {
        return retention;
    }

    /** One sweep: payloads in clear are encrypted, then the due payloads purged. */
    public Sweep sweep() {
        int encrypted = encryptClearPayloads();
        int out = 0;
        int in = 0;
        while (true) {
            Instant now = clock.instant();
            Instant cutoff = now.minus(retention);
            int[] batch = tx.write(c -> {
                int o = outbox.purgePayloads(c, cutoff, now, BATCH);
                int i = inbox.purgePayloads(c, cutoff, now, BATCH);
                if (o + i > 0) {
                    audit.append(c, AuditEvent.action(AuditEventType.PAYLOADS_PURGED, now, ownName, "payloads of "
                            + (o + i) + " finished messages purged (outbound " + o + ", inbound " + i + "): finished"
                            + " before " + cutoff + ", retention " + retention + "; digests, receipts and states kept"));
                }
                return new int[] {o, i};
            });
            out += batch[0];
            in += batch[1];
            if (batch[0] < BATCH && batch[1] < BATCH) {
                break;
            }
        }
        if (encrypted + out + in > 0) {
            LOG.info("payload sweep: {} payloads encrypted, {} outbound and {} inbound purged (retention {})", encrypted,
                    out, in, retention);
        }
        return new Sweep(encrypted, out, in);
    }

    private int encryptClearPayloads() {
        int total = 0;
        while (true) {
            int n = tx.write(c -> outbox.encryptClearPayloads(c, CLEAR_BATCH) + inbox.encryptClearPayloads(c, CLEAR_BATCH));
            total += n;
            if (n == 0) {
                return total;
            }
        }
    }
}
