package org.puente.engine.config;

import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.List;

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
 * @param timeStamping           the RFC 3161 time-stamping authority for checkpoints, if any
 */
public record AuditSettings(Duration checkpointInterval, Duration retention, Path archiveDir,
                            Duration retentionCheckInterval, boolean reconcile, Duration reconcileDelay,
                            Duration reconcileCheckInterval, TimeStamping timeStamping) {

    /**
     * The time-stamping authority that stamps each checkpoint ({@code puente.audit.tsa-url},
     * {@code puente.audit.tsa-trust}, {@code puente.audit.tsa-timeout}).
     *
     * @param url     where RFC 3161 requests go (http or https: tokens are signed, the transport
     *                needs no trust); null: checkpoints are not time-stamped
     * @param trust   the roots the TSA's certificate must chain to; empty: this country's roots
     * @param timeout how long one request may take
     */
    public record TimeStamping(URI url, List<Path> trust, Duration timeout) {
        public boolean enabled() {
            return url != null;
        }
    }

    /** Reads the {@code puente.audit.*} keys; the archive folder defaults to {@code <data dir>/audit-archive}. */
    static AuditSettings read(Settings s, Path dataDir) {
        return new AuditSettings(
                s.duration("puente.audit.checkpoint-interval", Duration.ofMinutes(5)),
                s.duration("puente.audit.retention", Duration.ofDays(1826)),
                s.optional("puente.audit.archive-dir").map(s::resolve).orElse(dataDir.resolve("audit-archive")),
                s.duration("puente.audit.retention-check-interval", Duration.ofHours(1)),
                s.bool("puente.audit.reconcile.enabled", true),
                s.duration("puente.audit.reconcile.delay", Duration.ofHours(1)),
                s.duration("puente.audit.reconcile.check-interval", Duration.ofMinutes(10)),
                new TimeStamping(s.optional("puente.audit.tsa-url").map(v -> tsaUrl(v)).orElse(null),
                        s.readableFiles("puente.audit.tsa-trust"), s.duration("puente.audit.tsa-timeout", Duration.ofSeconds(10))));
    }

    private static URI tsaUrl(String raw) {
        try {
            URI uri = URI.create(raw);
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw Settings.invalid("puente.audit.tsa-url", "must be an http:// or https:// URL, got '" + raw + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw Settings.invalid("puente.audit.tsa-url", "is not a URL: '" + raw + "'");
        }
    }
}
