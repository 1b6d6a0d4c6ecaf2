package org.puente.audit.store;

import org.puente.audit.AuditEventType;
import org.puente.audit.ReconciliationContent.Digest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What bilateral reconciliation reads from the audit log — which messages were sent, stored,
 * noticed, acknowledged or answered in a period, and with which envelope digest — which days are
 * already reconciled, and the signed reports and answers exchanged, kept as evidence.
 *
 * <p>Implementation note: the evidence table {@code audit_reconciliation_report} is append-only
 * like the other audit tables (database triggers; the runtime role may only SELECT and INSERT): a
 * day reconciled again, or a report answered again, adds rows and never replaces one.
 */
public final class ReconciliationStore {
    /** We sent the report and received the answer. */
    public static final String SENT = "sent";
    /** The peer sent the report and we answered it. */
    public static final String ANSWERED = "answered";

    /**
     * One signed exchange of a day's reconciliation, one part of it.
     *
     * @param direction {@link #SENT} or {@link #ANSWERED}
     * @param report    the signed report (DER CMS, StatementType RECONCILIATION)
     * @param answer    the signed answer to it (DER CMS)
     * @param outcome   OK, or MISMATCH when the answer counts a problem
     */
    public record StoredReport(LocalDate day, int part, int parts, String direction, String peer, String outcome,
                               Instant at, byte[] report, byte[] answer) {
    }
    /** Ids per {@code IN (...)} lookup: well under every driver's parameter limit. */
    private static final int CHUNK = 500;

    /** Messages with an {@code event} in {@code [from, to)}, in chain order (one per message). */
    public List<Digest> between(Connection c, AuditEventType event, Instant from, Instant to) throws SQLException {
        List<Digest> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id, envelope_sha256 FROM audit_event"
                + " WHERE event = ? AND at >= ? AND at < ? AND message_id IS NOT NULL ORDER BY seq")) {
            Jdbc.bind(ps, event.name(), from, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Digest(Jdbc.uuid(rs, "message_id"), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** The envelope digest of each of {@code ids} that has an {@code event}, whenever it happened. */
    public Map<UUID, String> digests(Connection c, AuditEventType event, Collection<UUID> ids) throws SQLException {
        Map<UUID, String> out = new HashMap<>();
        List<UUID> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += CHUNK) {
            List<UUID> chunk = all.subList(i, Math.min(all.size(), i + CHUNK));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT message_id, envelope_sha256 FROM audit_event"
                    + " WHERE event = ? AND message_id IN (" + marks + ")")) {
                Object[] params = new Object[chunk.size() + 1];
                params[0] = event.name();
                for (int k = 0; k < chunk.size(); k++) {
                    params[k + 1] = chunk.get(k);
                }
                Jdbc.bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(Jdbc.uuid(rs, "message_id"), rs.getString(2));
                    }
                }
            }
        }
        return out;
    }

    public boolean done(Connection c, LocalDate day) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM audit_reconciliation WHERE period_day = ?")) {
            Jdbc.bind(ps, day.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records a reconciled day; false when another instance recorded it first. */
    public boolean record(Connection c, LocalDate day, String outcome, Instant at) throws SQLException {
        if (done(c, day)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_reconciliation (period_day, outcome, done_at) VALUES (?,?,?)")) {
            Jdbc.bind(ps, day.toString(), outcome, at);
            ps.executeUpdate();
            return true;
        }
    }

    /** Keeps one signed report and its signed answer. */
    public void keep(Connection c, StoredReport r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_reconciliation_report (period_day, part, parts,"
                + " direction, peer, outcome, at, report, answer) VALUES (?,?,?,?,?,?,?,?,?)")) {
            Jdbc.bind(ps, r.day().toString(), r.part(), r.parts(), r.direction(), r.peer(), r.outcome(), r.at(), r.report(),
                    r.answer());
            ps.executeUpdate();
        }
    }

    /** The signed reports and answers of a day, in the order they were kept. */
    public List<StoredReport> reports(Connection c, LocalDate day) throws SQLException {
        List<StoredReport> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT part, parts, direction, peer, outcome, at, report, answer"
                + " FROM audit_reconciliation_report WHERE period_day = ? ORDER BY id")) {
            Jdbc.bind(ps, day.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredReport(day, rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), Jdbc.instant(rs, 6), rs.getBytes(7), rs.getBytes(8)));
                }
            }
        }
        return out;
    }
}
