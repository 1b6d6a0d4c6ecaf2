package org.puente.engine.testing;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.puente.audit.store.Jdbc;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.store.Digests;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Headers, messages and row counts for the store tests; every instant is whole milliseconds. */
public final class StoreFixtures {
    /** A fixed origin of time: the stores take their clock as parameters. */
    public static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    public static final AgencyRef CBP = new AgencyRef(Country.US, "CBP");
    public static final AgencyRef ANAM = new AgencyRef(Country.MX, "ANAM");
    public static final AgencyRef SAT = new AgencyRef(Country.MX, "SAT");

    private StoreFixtures() {
    }

    /** A CBP-to-ANAM header created at {@code createdAt}, living 24 hours. */
    public static EnvelopeHeader header(Priority priority, Instant createdAt) {
        return header(UUID.randomUUID(), CBP, ANAM, priority, createdAt);
    }

    public static EnvelopeHeader header(UUID id, AgencyRef sender, AgencyRef receiver, Priority priority, Instant createdAt) {
        return new EnvelopeHeader(id, id.toString(), "cargo.manifest", "1.0", sender, receiver, "CMAA-2000",
                "RISK_ASSESSMENT", Sensitivity.COMMERCIAL_CONFIDENTIAL, "en", createdAt, Duration.ofHours(24), priority);
    }

    /** An accepted, sealed outbound message (the envelope is a recognisable stand-in). */
    public static OutboxStore.NewMessage outbound(EnvelopeHeader h, String idempotencyKey) {
        byte[] payload = ("{\"message\":\"" + h.messageId() + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] envelope = ("envelope of " + h.messageId()).getBytes(StandardCharsets.UTF_8);
        return new OutboxStore.NewMessage(h, h.sender().agency(), idempotencyKey, sha("request " + h.messageId()), payload,
                sha("payload " + h.messageId()), envelope, sha("envelope " + h.messageId()));
    }

    /** A verified inbound message with the receipt that answers it. */
    public static InboxStore.NewMessage inbound(EnvelopeHeader h, String receipt) {
        byte[] payload = ("{\"message\":\"" + h.messageId() + "\"}").getBytes(StandardCharsets.UTF_8);
        return new InboxStore.NewMessage(h, payload, sha("payload " + h.messageId()), sha("envelope " + h.messageId()),
                receipt.getBytes(StandardCharsets.UTF_8));
    }

    /** 32 bytes that differ for different texts (a stand-in for a digest). */
    public static byte[] sha(String text) {
        return Digests.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The single number a query answers (a count), its parameters bound as the stores bind them. */
    public static long count(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Whether a statement was refused by a unique or primary key constraint: SQLSTATE 23505 on
     * PostgreSQL; SQLite gives no SQLSTATE, only its extended result code.
     */
    public static boolean isUniqueViolation(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return true;
        }
        return e instanceof SQLiteException s && (s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
    }

    /** Runs one statement in auto-commit (setting up rows behind the gateway's back). */
    public static int execute(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            return ps.executeUpdate();
        }
    }
}
