package org.puente.engine.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.puente.audit.store.Jdbc;
import org.puente.model.CanonicalJson;

/** Table {@code disclosure_consent}: the consent register, one row per request or decision, in order. */
final class ConsentRows {
    private static final String COLUMNS = "message_id, original_message_id, kind, provider_agency, holder_agency,"
            + " recipient_name, recipient_type, purpose, decision, conditions_json, valid_until, at";

    private ConsentRows() {
    }

    static void insert(Connection c, Consent k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO disclosure_consent (" + COLUMNS + ", recipient_key)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (message_id) DO NOTHING")) {
            Jdbc.bind(ps, k.messageId(), k.originalMessageId(), k.kind(), k.provider(), k.holder(), k.recipientName(),
                    k.recipientType(), k.purpose(), k.decision(), json(k.conditions()), k.validUntil(), k.at(),
                    key(k.recipientName()));
            ps.executeUpdate();
        }
    }

    /** The register's entries about one message, oldest first. */
    static List<Consent> about(Connection c, UUID originalMessageId) throws SQLException {
        return select(c, "WHERE original_message_id = ? ORDER BY at, message_id", originalMessageId);
    }

    /** The latest decision on passing the message to this recipient for this purpose. */
    static Optional<Consent> latestDecision(Connection c, UUID originalMessageId, String recipientName, String purpose)
            throws SQLException {
        List<Consent> l = select(c, "WHERE original_message_id = ? AND kind = 'DECISION' AND recipient_key = ?"
                + " AND purpose = ? ORDER BY at DESC, message_id DESC LIMIT 1", originalMessageId, key(recipientName),
                purpose.strip());
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** Whether an earlier decision on the same question granted it (a denial after it revokes it). */
    static boolean grantedBefore(Connection c, Consent denial) throws SQLException {
        for (Consent k : select(c, "WHERE original_message_id = ? AND kind = 'DECISION' AND recipient_key = ?"
                + " AND purpose = ? AND message_id <> ? AND at <= ? ORDER BY at DESC", denial.originalMessageId(),
                key(denial.recipientName()), denial.purpose(), denial.messageId(), denial.at())) {
            return k.grants();
        }
        return false;
    }

    /** Names compare without case and surrounding space: "Fiscalía General" is "fiscalía general ". */
    static String key(String recipientName) {
        return recipientName.strip().toLowerCase(Locale.ROOT);
    }

    private static List<Consent> select(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM disclosure_consent " + where)) {
            Jdbc.bind(ps, params);
            List<Consent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Consent(Jdbc.uuid(rs, "message_id"), Jdbc.uuid(rs, "original_message_id"),
                            rs.getString("kind"), rs.getString("provider_agency"), rs.getString("holder_agency"),
                            rs.getString("recipient_name"), rs.getString("recipient_type"), rs.getString("purpose"),
                            rs.getString("decision"), conditions(rs.getString("conditions_json")),
                            Jdbc.instant(rs, "valid_until"), Jdbc.instant(rs, "at")));
                }
            }
            return out;
        }
    }

    private static String json(List<String> conditions) {
        try {
            return CanonicalJson.mapper().writeValueAsString(conditions);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> conditions(String json) {
        try {
            return CanonicalJson.mapper().readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("conditions_json is not a list of strings", e);
        }
    }
}
