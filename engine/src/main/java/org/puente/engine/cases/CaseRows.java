package org.puente.engine.cases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.audit.store.Jdbc;

/**
 * Tables {@code assistance_case} and {@code case_event}: one row per case (its id is the request's
 * message id, the same on both gateways) and its history, in order.
 */
final class CaseRows {
    static final String REQUESTING = "REQUESTING";
    static final String REQUESTED = "REQUESTED";
    static final String OPEN = "OPEN";
    static final String DEFERRED = "DEFERRED";
    static final String CLOSED = "CLOSED";

    private static final String COLUMNS = "case_id, role, reference, our_agency, peer_agency, legal_basis, urgency,"
            + " confirm_by, respond_by, due_at, state, outcome, opened_at, closed_at, overdue_since";

    private CaseRows() {
    }

    static void insert(Connection c, AssistanceCase k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO assistance_case (" + COLUMNS + ")"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (case_id) DO NOTHING")) {
            Jdbc.bind(ps, k.caseId(), k.role(), k.reference(), k.ourAgency(), k.peerAgency(), k.legalBasis(), k.urgency(),
                    k.confirmBy(), k.respondBy(), k.dueAt(), k.state(), k.outcome(), k.openedAt(), k.closedAt(),
                    k.overdueSince());
            ps.executeUpdate();
        }
    }

    static Optional<AssistanceCase> find(Connection c, UUID caseId) throws SQLException {
        List<AssistanceCase> l = select(c, "WHERE case_id = ?", caseId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** The case a follow-up names by its id or reference, between the same two agencies. */
    static Optional<AssistanceCase> named(Connection c, String correlationId, String ourAgency, String peerAgency)
            throws SQLException {
        List<AssistanceCase> l = select(c, "WHERE (reference = ? OR case_id = ?) AND our_agency = ? AND peer_agency = ?"
                + " ORDER BY opened_at DESC", correlationId, asUuidText(correlationId), ourAgency, peerAgency);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** An agency's cases, newest first; {@code openOnly}: those not closed. */
    static List<AssistanceCase> ofAgency(Connection c, String ourAgency, boolean openOnly, int limit) throws SQLException {
        return select(c, "WHERE our_agency = ?" + (openOnly ? " AND state <> 'CLOSED'" : "")
                + " ORDER BY opened_at DESC LIMIT " + limit, ourAgency);
    }

    /**
     * Moves an open case to a new state and deadline; returns false when it was closed already
     * (the caller decides whether that refuses the message).
     */
    static boolean move(Connection c, UUID caseId, String state, String outcome, Instant dueAt, Instant respondBy,
                        Instant closedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE assistance_case SET state = ?, outcome = ?, due_at = ?,"
                + " respond_by = COALESCE(?, respond_by), closed_at = ?, overdue_since = NULL"
                + " WHERE case_id = ? AND state <> 'CLOSED'")) {
            Jdbc.bind(ps, state, outcome, dueAt, respondBy, closedAt, caseId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Marks a case overdue for the deadline it still has; false when it was answered or moved meanwhile. */
    static boolean overdue(Connection c, UUID caseId, Instant dueAt, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE assistance_case SET overdue_since = ?"
                + " WHERE case_id = ? AND state <> 'CLOSED' AND due_at = ? AND overdue_since IS NULL")) {
            Jdbc.bind(ps, now, caseId, dueAt);
            return ps.executeUpdate() == 1;
        }
    }

    /** Appends a step; the case row is locked first, so two instances on one PostgreSQL number steps in turn. */
    static void event(Connection c, UUID caseId, CaseEvent e) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("UPDATE assistance_case SET case_id = case_id WHERE case_id = ?")) {
            Jdbc.bind(lock, caseId);
            lock.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_event (case_id, seq, at, event, message_id, detail)"
                + " SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ? FROM case_event WHERE case_id = ?")) {
            Jdbc.bind(ps, caseId, e.at(), e.event(), e.messageId(), e.detail(), caseId);
            ps.executeUpdate();
        }
    }

    static List<CaseEvent> history(Connection c, UUID caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT at, event, message_id, detail FROM case_event"
                + " WHERE case_id = ? ORDER BY seq")) {
            Jdbc.bind(ps, caseId);
            List<CaseEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CaseEvent(Jdbc.instant(rs, "at"), rs.getString("event"), Jdbc.uuid(rs, "message_id"),
                            rs.getString("detail")));
                }
            }
            return out;
        }
    }

    /** Cases not closed, per role: how many, how many due before {@code soon}, how many past due. */
    static CaseCounts counts(Connection c, Instant now, Instant soon) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT role, COUNT(*),"
                + " SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN due_at >= ? AND due_at < ? THEN 1 ELSE 0 END)"
                + " FROM assistance_case WHERE state <> 'CLOSED' GROUP BY role")) {
            Jdbc.bind(ps, now, now, soon);
            CaseCounts counts = CaseCounts.NONE;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts = counts.with(rs.getString(1), new CaseCounts.Count(rs.getLong(2), rs.getLong(4), rs.getLong(3)));
                }
            }
            return counts;
        }
    }

    private static List<AssistanceCase> select(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM assistance_case " + where)) {
            Jdbc.bind(ps, params);
            List<AssistanceCase> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AssistanceCase(Jdbc.uuid(rs, "case_id"), rs.getString("role"), rs.getString("reference"),
                            rs.getString("our_agency"), rs.getString("peer_agency"), rs.getString("legal_basis"),
                            rs.getString("urgency"), Jdbc.instant(rs, "confirm_by"), Jdbc.instant(rs, "respond_by"),
                            Jdbc.instant(rs, "due_at"), rs.getString("state"), rs.getString("outcome"),
                            Jdbc.instant(rs, "opened_at"), Jdbc.instant(rs, "closed_at"), Jdbc.instant(rs, "overdue_since")));
                }
            }
            return out;
        }
    }

    /** A UUID's text when the correlation id is one, else a value no case id has. */
    private static String asUuidText(String s) {
        try {
            return UUID.fromString(s).toString();
        } catch (IllegalArgumentException e) {
            return "00000000-0000-0000-0000-000000000000";
        }
    }
}
