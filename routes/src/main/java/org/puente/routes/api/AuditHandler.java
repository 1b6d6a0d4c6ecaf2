package org.puente.routes.api;

import org.puente.engine.api.Json;
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
import org.puente.engine.ops.AuditQueries;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.puente.audit.export.ExportFormat;
import org.puente.engine.config.ClientEntry;
import org.puente.audit.store.ArchiveStore;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.audit.store.AuditStore;
import org.puente.audit.StoredCheckpoint;
import org.puente.engine.store.Transactions;

/**
 * The auditor API operations: query the chained log, follow one message (with the signed receipt
 * and delivery notice kept for it), read the head and the signed checkpoints, and export a period
 * as a signed JSON Lines file. HTTP glue over {@link AuditQueries}: no SQL here. Auditors only: agencies
 * and operators get {@code 403 forbidden}. Every export is itself audited ({@code EXPORT_MADE}).
 */
public final class AuditHandler {
    public static final String JSONL = "application/jsonl";
    private static final int MAX_LIMIT = 1000;

    private final AuditQueries queries;

    public AuditHandler(AuditQueries queries) {
        this.queries = queries;
    }

    /** A page of entries; {@code next} is the position to ask {@code after} for the next page (null: no more). */
    public record EventsPage(List<ExportFormat.EntryLine> entries, Long next) {
    }

    /** One message's entries and the signed proofs held for it (base64 DER CMS; absent ones null). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageStory(String messageId, List<ExportFormat.EntryLine> entries, byte[] receipt, byte[] deliveryNotice,
                               byte[] ourReceipt) {
    }

    /** The latest checkpoint, summarised. */
    public record CheckpointSummary(long seq, String hash, String signedAt) {
    }

    public record HeadBody(String gateway, long seq, String hash, Long firstLiveSeq, int archives,
                           CheckpointSummary latestCheckpoint) {
    }

    public record CheckpointsPage(List<ExportFormat.CheckpointLine> checkpoints, Long next) {
    }

    public Response auditEvents(ApiRequest r) {
        requireAuditor(r);
        AuditStore.Filter f = new AuditStore.Filter(time(r, "from").orElse(null), time(r, "to").orElse(null),
                r.param("messageId").map(v -> uuid("messageId", v)).orElse(null), r.param("correlationId").orElse(null),
                r.param("type").orElse(null), r.param("agency").orElse(null),
                r.param("event").map(AuditHandler::eventType).orElse(null), r.param("outcome").orElse(null));
        long after = number(r, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) number(r, "limit", 100, 1, MAX_LIMIT);
        List<AuditEntry> page = queries.events(f, after, limit);
        return json(new EventsPage(page.stream().map(ExportFormat::entryLine).toList(),
                page.size() == limit ? page.get(page.size() - 1).seq() : null));
    }

    public Response auditMessage(ApiRequest r) {
        requireAuditor(r);
        AuditQueries.Story story = queries.story(uuid("id", r.param("id").orElse("")));
        return json(new MessageStory(story.messageId().toString(), story.entries().stream().map(ExportFormat::entryLine).toList(),
                story.proofs().receipt(), story.proofs().deliveryNotice(), story.proofs().ourReceipt()));
    }

    public Response auditHead(ApiRequest r) {
        requireAuditor(r);
        AuditQueries.Head h = queries.head();
        StoredCheckpoint cp = h.latestCheckpoint();
        return json(new HeadBody(h.gateway(), h.seq(), h.hash(), h.firstLiveSeq(), h.archives(),
                cp == null ? null : new CheckpointSummary(cp.seq(), cp.hash(), cp.signedAt().toString())));
    }

    public Response auditCheckpoints(ApiRequest r) {
        requireAuditor(r);
        long after = number(r, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) number(r, "limit", 100, 1, MAX_LIMIT);
        List<StoredCheckpoint> cps = queries.checkpoints(after);
        List<StoredCheckpoint> page = cps.subList(0, Math.min(limit, cps.size()));
        return json(new CheckpointsPage(page.stream().map(ExportFormat::checkpointLine).toList(),
                cps.size() > limit ? page.get(page.size() - 1).seq() : null));
    }

    /** The signature line that ends an export answer. */
    public record SignatureLine(String kind, String cms) {
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
        AuditQueries.Export export = queries.export(from, to, r.caller().subject());
        byte[] last = ExportFormat.line(new SignatureLine("signature", Base64.getEncoder().encodeToString(export.signature())));
        return Response.ok(new SequenceInputStream(export.content(), new ByteArrayInputStream(last)), JSONL).build();
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

    static long number(ApiRequest r, String name, long fallback, long min, long max) {
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

    static Response json(Object body) {
        return Response.ok(Json.write(body), AgencyHandler.JSON).build();
    }
}
