package org.puente.engine.audit;

import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.store.Jdbc;
import org.puente.engine.outbound.OutboxStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.count;
import static org.puente.engine.testing.StoreFixtures.header;
import static org.puente.engine.testing.StoreFixtures.outbound;
import static org.puente.engine.testing.StoreFixtures.sha;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.puente.engine.testing.TestPayloads;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;

class AuditLogTest {
    /** The Mexican gateway's log, registered with the database's writer as the gateway registers it. */
    private static AuditLog audit(TestDatabase db) {
        AuditLog audit = new AuditLog(Country.MX, db.database().dialect());
        db.tx().addParticipant(audit);
        return audit;
    }

    @OnBothDatabases
    void an_event_is_stored_with_the_header_metadata_digests_and_the_gateway_country(TestDatabase db) {
        AuditLog audit = audit(db);
        EnvelopeHeader h = header(Priority.URGENT, T0);
        AuditEvent e = AuditEvent.of(AuditEventType.RECEIVED, h, T0.plusSeconds(1), "CN=gateway.us.puente.sample")
                .withDigests(sha("payload"), sha("envelope"));

        db.tx().write(c -> {
            audit.append(c, e);
            return null;
        });

        Map<String, Object> row = onlyRow(db);
        assertThat(row).containsEntry("country", "MX").containsEntry("event", "RECEIVED")
                .containsEntry("message_id", h.messageId().toString()).containsEntry("correlation_id", h.correlationId())
                .containsEntry("message_type", "cargo.manifest").containsEntry("sender", "US/CBP")
                .containsEntry("receiver", "MX/ANAM").containsEntry("legal_basis", "CMAA-2000")
                .containsEntry("purpose", h.purpose()).containsEntry("sensitivity", "COMMERCIAL_CONFIDENTIAL")
                .containsEntry("payload_sha256", HexFormat.of().formatHex(sha("payload")))
                .containsEntry("envelope_sha256", HexFormat.of().formatHex(sha("envelope")))
                .containsEntry("actor", "CN=gateway.us.puente.sample").containsEntry("outcome", AuditEvent.OK)
                .containsEntry("error_code", null).containsEntry("detail", null)
                .containsEntry("at", T0.plusSeconds(1).toString());
    }

    @OnBothDatabases
    void a_failure_outcome_keeps_its_code_and_a_detail_cut_to_the_column(TestDatabase db) {
        AuditLog audit = audit(db);
        AuditEvent e = AuditEvent.of(AuditEventType.SEND_FAILED, header(Priority.NORMAL, T0), T0, "gateway")
                .withOutcome(AuditEvent.RETRY, ErrorCode.STORE_UNAVAILABLE, "x".repeat(1500));

        db.tx().write(c -> {
            audit.append(c, e);
            return null;
        });

        Map<String, Object> row = onlyRow(db);
        assertThat(row).containsEntry("outcome", "RETRY").containsEntry("error_code", "store_unavailable");
        assertThat((String) row.get("detail")).hasSize(1000);
    }

    @OnBothDatabases
    void a_state_change_whose_audit_event_cannot_be_written_is_rolled_back_with_it(TestDatabase db) {
        AuditLog audit = audit(db);
        OutboxStore outbox = TestPayloads.outbox();
        EnvelopeHeader h = header(Priority.NORMAL, T0);
        AuditEvent unwritable = AuditEvent.decoded(T0, AuditEventType.SUBMITTED, h.messageId(), null, null, null, null, null,
                null, null, null, null, "CN=CBP agency system", AuditEvent.OK, null, "y".repeat(1001));

        assertThatThrownBy(() -> db.tx().write(c -> {
            outbox.insert(c, outbound(h, null), T0);
            audit.append(c, unwritable);
            return null;
        })).isInstanceOfSatisfying(PuenteException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));

        assertThat(rows(db, "SELECT COUNT(*) FROM outbox")).isZero();
        assertThat(rows(db, "SELECT COUNT(*) FROM audit_event")).isZero();
    }

    @OnBothDatabases
    void an_event_written_by_a_unit_that_fails_later_is_rolled_back_too(TestDatabase db) {
        AuditLog audit = audit(db);
        assertThatThrownBy(() -> db.tx().write(c -> {
            audit.append(c, AuditEvent.action(AuditEventType.MESSAGE_REDRIVEN, T0, "CN=US operator", "redrive"));
            throw new PuenteException(ErrorCode.NOT_FOUND, "message", "42");
        })).isInstanceOfSatisfying(PuenteException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_FOUND));

        assertThat(rows(db, "SELECT COUNT(*) FROM audit_event")).isZero();
    }

    private static Map<String, Object> onlyRow(TestDatabase db) {
        return db.tx().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_event");
                 ResultSet rs = ps.executeQuery()) {
                Map<String, Object> row = new LinkedHashMap<>();
                assertThat(rs.next()).isTrue();
                int columns = rs.getMetaData().getColumnCount();
                for (int i = 1; i <= columns; i++) {
                    String name = rs.getMetaData().getColumnLabel(i).toLowerCase();
                    Object v = name.equals("at") ? Jdbc.instant(rs, "at").toString()
                            : name.equals("message_id") ? String.valueOf(Jdbc.uuid(rs, name)) : rs.getObject(i);
                    row.put(name, v);
                }
                assertThat(rs.next()).as("one event only").isFalse();
                return row;
            }
        });
    }

    private static long rows(TestDatabase db, String sql) {
        return db.tx().read(c -> count(c, sql));
    }
}
