package org.puente.routes.api;

import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.audit.AuditExporter;
import org.puente.routes.audit.ExportFormat;
import org.puente.routes.config.ClientEntry;
import org.puente.routes.store.ArchiveStore;
import org.puente.routes.store.AuditEntry;
import org.puente.routes.store.AuditEvent;
import org.puente.routes.store.AuditEventType;
import org.puente.routes.store.AuditLog;
import org.puente.routes.store.AuditStore;
import org.puente.routes.store.CheckpointStore;
import org.puente.routes.store.Transactions;

/**
 * The auditor API operations: query the chained log, follow one message, read the head and the
 * signed checkpoints, and export a period as a signed JSON Lines file. Auditors only: agencies
 * and operators get {@code 403 forbidden}. Every export is itself audited ({@code EXPORT_MADE}).
 */
public final class AuditHandler {
    public static final String JSONL = "application/jsonl";
    private static final int MAX_LIMIT = 1000;

    private final Transactions tx;
    private final AuditStore store;
    private final CheckpointStore checkpoints;
    private final ArchiveStore archives;
    private final AuditLog audit;
    private final AuditExporter exporter;
    private final Path workDir;
    private final String gateway;
    private final Clock clock;

    public AuditHandler(Transactions tx, AuditStore store, CheckpointStore checkpoints, ArchiveStore archives, AuditLog audit,
                        AuditExporter exporter, Path workDir, String gateway, Clock clock) {
        this.tx = tx;
        this.store = store;
        this.checkpoints = checkpoints;
        this.archives = archives;
        this.audit = audit;
        this.exporter = exporter;
        this.workDir = workDir;
        this.gateway = gateway;
        this.clock = clock;
    }

    public Response auditEvents(ApiRequest r) {
        requireAuditor(r);
        AuditStore.Filter f = new AuditStore.Filter(time(r, "from").orElse(null), time(r, "to").orElse(null),
                r.param("messageId").map(v -> uuid("messageId", v)).orElse(null), r.param("correlationId").orElse(null),
                r.param("type").orElse(null), r.param("agency").orElse(null),
                r.param("event").map(AuditHandler::eventType).orElse(null), r.param("outcome").orElse(null));
        long after = number(r, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) number(r, "limit", 100, 1, MAX_LIMIT);
        List<AuditEntry> page = tx.read(c -> store.query(c, f, after, limit));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", page.stream().map(ExportFormat::entryLine).toList());
        body.put("next", page.size() == limit ? page.get(page.size() - 1).seq() : null);
        return json(body);
    }

    public Response auditMessage(ApiRequest r) {
        requireAuditor(r);
        String raw = r.param("id").orElse("");
        UUID id = uuid("id", raw);
        List<AuditEntry> story = tx.read(c -> store.story(c, id));
        if (story.isEmpty()) {
            throw new PuenteException(ErrorCode.NOT_FOUND, "message", raw);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messageId", id.toString());
        body.put("entries", story.stream().map(ExportFormat::entryLine).toList());
        return json(body);
    }

    public Response auditHead(ApiRequest r) {
        requireAuditor(r);
        Map<String, Object> body = tx.read(c -> {
            AuditStore.Head head = store.head(c);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("gateway", gateway);
            m.put("seq", head.seq());
            m.put("hash", head.hash());
            m.put("firstLiveSeq", store.firstSeq(c).orElse(null));
            m.put("archives", archives.all(c).size());
            m.put("latestCheckpoint", checkpoints.latest(c).map(AuditHandler::checkpoint).orElse(null));
            return m;
        });
        return json(body);
    }

    public Response auditCheckpoints(ApiRequest r) {
        requireAuditor(r);
        long after = number(r, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) number(r, "limit", 100, 1, MAX_LIMIT);
        List<CheckpointStore.StoredCheckpoint> cps = tx.read(c -> checkpoints.between(c, after + 1, Long.MAX_VALUE));
        List<CheckpointStore.StoredCheckpoint> page = cps.subList(0, Math.min(limit, cps.size()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("checkpoints", page.stream().map(ExportFormat::checkpointLine).toList());
        body.put("next", cps.size() > limit ? page.get(page.size() - 1).seq() : null);
        return json(body);
    }

    /**
     * The export file of {@code [from, to)}, followed by one last line
     * {@code {"kind":"signature","cms":"<base64 DER>"}}: the detached CMS signature over every byte
     * before that line ({@code puente audit export} writes the two apart).
     */
    public Response auditExport(ApiRequest r) {
        requireAuditor(r);
        Instant from = time(r, "from").orElseThrow(() -> new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, "from"));
        Instant to = time(r, "to").orElseThrow(() -> new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, "to"));
        if (!from.isBefore(to)) {
            throw new PuenteException(ErrorCode.INVALID_TIME_WINDOW, from, to);
        }
        Path file = null;
        try {
            Files.createDirectories(workDir);
            file = Files.createTempFile(workDir, "export-", ".jsonl");
            AuditExporter.Written w = exporter.exportPeriod(from, to, file, "export");
            byte[] signature = Files.readAllBytes(w.signature());
            ExportFormat.Header h = w.header();
            tx.write(c -> {
                audit.append(c, AuditEvent.action(AuditEventType.EXPORT_MADE, clock.instant(), r.caller().subject(),
                        "period " + from + " to " + to + ", entries " + h.firstSeq() + " to " + h.lastSeq() + " ("
                                + h.entries() + "), sha256 " + w.sha256()));
                return null;
            });
            InputStream content = Files.newInputStream(file);
            // the open stream keeps the data readable; the names go now so nothing is left behind
            Files.delete(file);
            Files.delete(w.signature());
            byte[] last = ExportFormat.line(Map.of("kind", "signature", "cms", Base64.getEncoder().encodeToString(signature)));
            return Response.ok(new SequenceInputStream(content, new ByteArrayInputStream(last)), JSONL).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            removeQuietly(file);
            throw e;
        }
    }

    /** A failed export leaves no file behind. */
    private static void removeQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ExportFormat.SIGNATURE_SUFFIX));
        } catch (IOException ignored) {
            // nothing more to do: the folder is only for exports in progress
        }
    }

    private static Map<String, Object> checkpoint(CheckpointStore.StoredCheckpoint cp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", cp.seq());
        m.put("hash", cp.hash());
        m.put("signedAt", cp.signedAt().toString());
        return m;
    }

    static void requireAuditor(ApiRequest r) {
        if (!r.caller().is(ClientEntry.Role.AUDITOR)) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "the audit API is for auditors");
        }
    }

    /** An ISO-8601 instant, or a date meaning its start (UTC). */
    static Optional<Instant> time(ApiRequest r, String name) {
        return r.param(name).map(v -> {
            try {
                return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw new PuenteException(ErrorCode.INVALID_FORMAT, "time for \"" + name + "\" (2026-11-28 or 2026-11-28T00:00:00Z)");
            }
        });
    }

    private static long number(ApiRequest r, String name, long fallback, long min, long max) {
        Optional<String> v = r.param(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n < min) {
                throw new PuenteException(ErrorCode.BELOW_MINIMUM, min);
            }
            if (n > max) {
                throw new PuenteException(ErrorCode.ABOVE_MAXIMUM, max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new PuenteException(ErrorCode.WRONG_TYPE, "a whole number for \"" + name + "\"");
        }
    }

    private static UUID uuid(String name, String v) {
        try {
            return UUID.fromString(v);
        } catch (IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.INVALID_FORMAT, "message id for \"" + name + "\"");
        }
    }

    private static AuditEventType eventType(String v) {
        try {
            return AuditEventType.valueOf(v.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.VALUE_NOT_ALLOWED, Arrays.toString(AuditEventType.values()));
        }
    }

    private static Response json(Object body) {
        return Response.ok(JsonBodies.write(body), AgencyHandler.JSON).build();
    }
}
