package org.puente.routes.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.puente.model.Country;

/**
 * Appends audit events inside the caller's transaction: if the event cannot be written, the
 * state change it records is rolled back with it (fail closed).
 */
public class AuditLog {
    private static final String INSERT = "INSERT INTO audit_event (at, country, event, message_id, correlation_id,"
            + " message_type, sender, receiver, legal_basis, purpose, sensitivity, payload_sha256, envelope_sha256,"
            + " actor, outcome, error_code, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private final Country country;

    public AuditLog(Country country) {
        this.country = country;
    }

    public Country country() {
        return country;
    }

    public void append(Connection c, AuditEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            Jdbc.bind(ps, e.at(), country.name(), e.event().name(), e.messageId(), e.correlationId(), e.messageType(),
                    e.sender(), e.receiver(), e.legalBasis(), e.purpose(), e.sensitivity(), e.payloadSha256(),
                    e.envelopeSha256(), e.actor(), e.outcome(), e.errorCode(), e.detail());
            ps.executeUpdate();
        }
    }
}
