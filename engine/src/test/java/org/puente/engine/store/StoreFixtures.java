package org.puente.engine.store;

import org.puente.audit.store.Jdbc;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;
import org.puente.engine.store.Digests;

/** Headers, messages and row counts for the store tests; every instant is whole milliseconds. */
final class StoreFixtures {
    /** A fixed origin of time: the stores take their clock as parameters. */
    static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    static final AgencyRef CBP = new AgencyRef(Country.US, "CBP");
    static final AgencyRef ANAM = new AgencyRef(Country.MX, "ANAM");
    static final AgencyRef SAT = new AgencyRef(Country.MX, "SAT");

    private StoreFixtures() {
    }

    static EnvelopeHeader header(Priority priority, Instant createdAt) {
        return header(UUID.randomUUID(), CBP, ANAM, priority, createdAt);
    }

    static EnvelopeHeader header(UUID id, AgencyRef sender, AgencyRef receiver, Priority priority, Instant createdAt) {
        return new EnvelopeHeader(id, id.toString(), "cargo.manifest", "1.0", sender, receiver, "CMAA-2000",
                "RISK_ASSESSMENT", Sensitivity.COMMERCIAL_CONFIDENTIAL, "en", createdAt, Duration.ofHours(24), priority);
    }

    static OutboxStore.NewMessage outbound(EnvelopeHeader h, String idempotencyKey) {
        byte[] payload = ("{\"message\":\"" + h.messageId() + "\"}").getBytes(StandardCharsets.UTF_8);
        return new OutboxStore.NewMessage(h, h.sender().agency(), idempotencyKey, sha("request " + h.messageId()), payload,
                sha("payload " + h.messageId()), null, null, null, null);
    }

    /** As the submission fast path stores it: sealed, and reserved for this process's dispatcher. */
    static OutboxStore.NewMessage sealedAndReserved(EnvelopeHeader h, String owner, Instant leaseUntil) {
        OutboxStore.NewMessage m = outbound(h, null);
        byte[] envelope = ("envelope of " + h.messageId()).getBytes(StandardCharsets.UTF_8);
        return new OutboxStore.NewMessage(h, m.submitter(), null, m.requestSha256(), m.payload(), m.payloadSha256(),
                envelope, sha("envelope " + h.messageId()), owner, leaseUntil);
    }

    static InboxStore.NewMessage inbound(EnvelopeHeader h, String receipt) {
        byte[] payload = ("{\"message\":\"" + h.messageId() + "\"}").getBytes(StandardCharsets.UTF_8);
        return new InboxStore.NewMessage(h, payload, sha("payload " + h.messageId()), sha("envelope " + h.messageId()),
                receipt.getBytes(StandardCharsets.UTF_8));
    }

    /** 32 bytes that differ for different texts (a stand-in for a digest). */
    static byte[] sha(String text) {
        return Digests.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static long count(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
