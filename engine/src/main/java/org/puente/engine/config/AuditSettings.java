package org.puente.engine.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the hash-chained audit log ({@code puente.audit.*}).
 *
 * @param checkpointInterval     how often the chain head is signed (and always on shutdown)
 * @param retention              how long entries stay in the live table before they are archived
 * @param archiveDir             where signed archive files go
 * @param retentionCheckInterval how often entries past the retention period are looked for
 * @param reconcile              whether the gateway reconciles each day with its peer
 * @param reconcileDelay         how long after midnight (UTC) the previous day is reconciled
 * @param reconcileCheckInterval how often a due reconciliation (or its retry) is looked for
 */
public record AuditSettings(Duration checkpointInterval, Duration retention, Path archiveDir,
                            Duration retentionCheckInterval, boolean reconcile, Duration reconcileDelay,
                            Duration reconcileCheckInterval) {

    /** Reads the {@code puente.audit.*} keys; the archive folder defaults to {@code <data dir>/audit-archive}. */
    static AuditSettings read(Settings s, Path dataDir) {
        return new AuditSettings(
                s.duration("puente.audit.checkpoint-interval", Duration.ofMinutes(5)),
                s.duration("puente.audit.retention", Duration.ofDays(1826)),
                s.optional("puente.audit.archive-dir").map(s::resolve).orElse(dataDir.resolve("audit-archive")),
                s.duration("puente.audit.retention-check-interval", Duration.ofHours(1)),
                s.bool("puente.audit.reconcile.enabled", true),
                s.duration("puente.audit.reconcile.delay", Duration.ofHours(1)),
                s.duration("puente.audit.reconcile.check-interval", Duration.ofMinutes(10)));
    }
}
