package org.puente.audit.store;

import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.AuditHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.model.Country;

/**
 * Reads the hash-chained audit log: by position for verification and export, by filters for
 * auditors, by message for its full story. Removes only what retention archived; entries
 * themselves are appended by the engine's {@code AuditLog} alone.
 */
public final class AuditStore {
    /** Appends one chained entry (the engine's writer, under the head lock). */
    public static final String INSERT = "INSERT INTO audit_event (at, country, event, message_id, correlation_id,"
            + " message_type, sender, receiver, legal_basis, purpose, sensitivity, payload_sha256, envelope_sha256,"
            + " actor, outcome, error_code, detail, seq, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    /** Reads the head of the chain for an append (locked on PostgreSQL, so instances append one after the other). */
    public static String lockHead(Dialect dialect) {
        return "SELECT seq, hash FROM audit_chain_head WHERE chain_id = 1" + dialect.forUpdate();
    }

    public static final String MOVE_HEAD = "UPDATE audit_chain_head SET seq = ?, hash = ? WHERE chain_id = 1";

    /** Rows per page when walking the chain: bounded memory on either database. */
    public static final int PAGE = 5_000;
    private static final String COLUMNS = "seq, at, country, event, message_id, correlation_id, message_type, sender,"
            + " receiver, legal_basis, purpose, sensitivity, payload_sha256, envelope_sha256, actor, outcome, error_code,"
            + " detail, prev_hash, hash";

    /** The last position of the chain and its hash. */
    public record Head(long seq, String hash) {
    }

    /** What auditors filter by; null means any. Agency matches sender or receiver ({@code US/CBP} or {@code CBP}). */
    public record Filter(Instant from, Instant to, UUID messageId, String correlationId, String messageType,
                         String agency, AuditEventType event, String outcome) {
        public static Filter none() {
            return new Filter(null, null, null, null, null, null, null, null);
        }
    }

    /** A row that cannot even be read as an entry (an unknown event or country): the log was altered. */
    public static final class UnreadableEntry extends SQLException {
        private static final long serialVersionUID = 1L;
        private final long seq;

        UnreadableEntry(long seq, String reason) {
            super("audit entry " + seq + " cannot be read: " + reason);
            this.seq = seq;
        }

        public long seq() {
            return seq;
        }

        public String reason() {
            return getMessage().substring(getMessage().indexOf(": ") + 2);
        }
    }

    /** Receives entries in chain order. */
    @FunctionalInterface
    public interface EntrySink {
        void accept(AuditEntry entry) throws SQLException;
    }

    public Head head(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_chain_head WHERE chain_id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_chain_head has no row");
            }
            return new Head(rs.getLong(1), rs.getString(2));
        }
    }

    /** The first position still in the live table (after retention), if any entry is there. */
    public Optional<Long> firstSeq(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(seq) FROM audit_event");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(v);
        }
    }

    /** The number of live entries whose chain position is not assigned yet (written before the chain existed). */
    public long unchained(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_event WHERE seq IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Row ids of audit events without a chain position (at most {@code limit}), oldest first. */
    public List<Long> unchainedIds(Connection c, int limit) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM audit_event WHERE seq IS NULL ORDER BY id LIMIT " + limit);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** Walks entries {@code from..to} (inclusive) in chain order, one page at a time. */
    public void walk(Connection c, long from, long to, EntrySink sink) throws SQLException {
        long after = from - 1;
        while (after < to) {
            List<AuditEntry> page;
            try {
                page = page(c, after, to, PAGE);
            } catch (UnreadableEntry u) {
                // hand over the readable entries before the bad row first, so the walk stays in order
                for (AuditEntry e : page(c, after, u.seq() - 1, PAGE)) {
                    sink.accept(e);
                }
                throw u;
            }
            if (page.isEmpty()) {
                return;
            }
            for (AuditEntry e : page) {
                sink.accept(e);
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    /** The entry at {@code seq}, if it is in the live table. */
    public Optional<AuditEntry> entry(Connection c, long seq) throws SQLException {
        return page(c, seq - 1, seq, 1).stream().findFirst();
    }

    /** Every live entry about one message, in chain order: its full story on this side. */
    public List<AuditEntry> story(Connection c, UUID messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM audit_event WHERE message_id = ? AND seq IS NOT NULL ORDER BY seq")) {
            Jdbc.bind(ps, messageId);
            return read(ps);
        }
    }

    private List<AuditEntry> page(Connection c, long after, long to, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM audit_event WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT " + limit)) {
            Jdbc.bind(ps, after, to);
            return read(ps);
        }
    }

    /** Entries matching {@code filter} after position {@code after}, oldest first, at most {@code limit}. */
    public List<AuditEntry> query(Connection c, Filter f, long after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_event WHERE seq > ?");
        List<Object> params = new ArrayList<>();
        params.add(after);
        condition(sql, params, "at >= ?", f.from());
        condition(sql, params, "at < ?", f.to());
        condition(sql, params, "message_id = ?", f.messageId());
        condition(sql, params, "correlation_id = ?", f.correlationId());
        condition(sql, params, "message_type = ?", f.messageType());
        condition(sql, params, "event = ?", f.event() == null ? null : f.event().name());
        condition(sql, params, "outcome = ?", f.outcome());
        if (f.agency() != null) {
            String a = f.agency();
            if (a.contains("/")) {
                sql.append(" AND (sender = ? OR receiver = ?)");
                params.add(a);
                params.add(a);
            } else {
                sql.append(" AND (sender LIKE ? OR receiver LIKE ?)");
                params.add("%/" + a);
                params.add("%/" + a);
            }
        }
        sql.append(" ORDER BY seq LIMIT ").append(limit);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Jdbc.bind(ps, params.toArray());
            return read(ps);
        }
    }

    private static void condition(StringBuilder sql, List<Object> params, String clause, Object value) {
        if (value != null) {
            sql.append(" AND ").append(clause);
            params.add(value);
        }
    }

    /**
     * The positions of the first and last entries written in {@code [from, to)}. Entries of one
     * group may carry times a few milliseconds out of order; an export takes every position
     * between the two, so the exported chain never has a hole.
     */
    public Optional<long[]> range(Connection c, Instant from, Instant to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(seq), MAX(seq) FROM audit_event WHERE at >= ? AND at < ?")) {
            Jdbc.bind(ps, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long first = rs.getLong(1);
                if (rs.wasNull()) {
                    return Optional.empty();
                }
                return Optional.of(new long[] {first, rs.getLong(2)});
            }
        }
    }

    /** The first position written at or after {@code at}, if any (the retention cut is just before it). */
    public Optional<Long> firstAtOrAfter(Connection c, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(seq) FROM audit_event WHERE at >= ?")) {
            Jdbc.bind(ps, at);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(v);
            }
        }
    }

    /**
     * Removes entries and checkpoints up to {@code seq} from the live tables (retention), once the
     * archive that holds them is recorded in {@code audit_archive} in the same transaction; returns
     * the entries removed.
     *
     * <p>Implementation note: the database allows nothing else. On PostgreSQL the gateway's role
     * has no DELETE privilege on the audit tables: it calls {@code puente_audit_retire}, a
     * SECURITY DEFINER function of the schema owner that deletes only positions a recorded archive
     * covers, and only up to the checkpoint the archive ends with; on SQLite, triggers refuse a
     * DELETE of anything no recorded archive covers (migrations V4 and V2, docs/audit.md).
     */
    public long retire(Connection c, Dialect dialect, long seq) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try (PreparedStatement ps = c.prepareStatement("SELECT puente_audit_retire(?)")) {
                Jdbc.bind(ps, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
        try (PreparedStatement cps = c.prepareStatement("DELETE FROM audit_checkpoint WHERE seq <= ?");
             PreparedStatement entries = c.prepareStatement("DELETE FROM audit_event WHERE seq <= ?")) {
            Jdbc.bind(cps, seq);
            cps.executeUpdate();
            Jdbc.bind(entries, seq);
            return entries.executeUpdate();
        }
    }

    private static List<AuditEntry> read(PreparedStatement ps) throws SQLException {
        List<AuditEntry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new AuditEntry(rs.getLong("seq"), country(rs), event(rs), rs.getString("prev_hash"),
                        rs.getString("hash")));
            }
        }
        return out;
    }

    private static Country country(ResultSet rs) throws SQLException {
        String v = rs.getString("country");
        try {
            return Country.valueOf(v);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnreadableEntry(rs.getLong("seq"), "unknown country '" + v + "'");
        }
    }

    private static AuditEventType eventType(ResultSet rs) throws SQLException {
        String v = rs.getString("event");
        try {
            return AuditEventType.valueOf(v);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnreadableEntry(rs.getLong("seq"), "unknown event type '" + v + "'");
        }
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        return AuditEvent.decoded(AuditHash.normalize(Jdbc.instant(rs, "at")), eventType(rs),
                Jdbc.uuid(rs, "message_id"), rs.getString("correlation_id"), rs.getString("message_type"),
                rs.getString("sender"), rs.getString("receiver"), rs.getString("legal_basis"), rs.getString("purpose"),
                rs.getString("sensitivity"), rs.getString("payload_sha256"), rs.getString("envelope_sha256"),
                rs.getString("actor"), rs.getString("outcome"), rs.getString("error_code"), rs.getString("detail"));
    }
}
