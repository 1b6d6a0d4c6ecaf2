package org.puente.engine.answer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.puente.audit.store.Jdbc;
import org.puente.model.CanonicalJson;
import org.puente.model.answer.BusinessAnswer;

/**
 * Table {@code business_answer}: the business answer our agency gave to a received message
 * ({@link #GIVEN}) or the peer's agency gave to a message we sent ({@link #RECEIVED}). One per
 * message; the first stands.
 */
public final class AnswerRows {
    public static final String GIVEN = "GIVEN";
    public static final String RECEIVED = "RECEIVED";

    private AnswerRows() {
    }

    /** A stored answer. */
    public record Row(UUID messageId, String direction, String agency, BusinessAnswer answer, Instant answeredAt,
                      String answeredBy, Instant sentAt) {
    }

    /** Stores an answer unless the message has one; returns whether it was stored. */
    public static boolean insert(Connection c, UUID messageId, String direction, String agency, BusinessAnswer answer,
                                 Instant at, String by, byte[] notice) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO business_answer (message_id, direction, agency, status,"
                + " answer_json, answered_at, answered_by, notice) VALUES (?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (message_id) DO NOTHING")) {
            Jdbc.bind(ps, messageId, direction, agency, answer.status(), new String(CanonicalJson.bytes(answer), java.nio.charset.StandardCharsets.UTF_8), at, by, notice);
            return ps.executeUpdate() == 1;
        }
    }

    public static Optional<Row> find(Connection c, UUID messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id, direction, agency, answer_json, answered_at,"
                + " answered_by, sent_at FROM business_answer WHERE message_id = ?")) {
            Jdbc.bind(ps, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Row(Jdbc.uuid(rs, "message_id"), rs.getString("direction"), rs.getString("agency"),
                        CanonicalJson.read(rs.getString("answer_json").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                BusinessAnswer.class),
                        Jdbc.instant(rs, "answered_at"), rs.getString("answered_by"), Jdbc.instant(rs, "sent_at")));
            }
        }
    }

    /** The peer recorded the answer we gave. */
    public static void sent(Connection c, UUID messageId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE business_answer SET sent_at = ? WHERE message_id = ?"
                + " AND direction = ? AND sent_at IS NULL")) {
            Jdbc.bind(ps, at, messageId, GIVEN);
            ps.executeUpdate();
        }
    }
}
