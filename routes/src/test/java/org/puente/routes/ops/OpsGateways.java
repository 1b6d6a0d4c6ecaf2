package org.puente.routes.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.puente.certs.SamplePki;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;

/**
 * Both gateways in this JVM with the clients the operations tests need: agencies on the agency
 * listeners, and the operator, the auditor and an agency on the US operations listener.
 */
final class OpsGateways implements AutoCloseable {
    private final GatewayPair pair;
    final Path pki;
    final SamplePki samplePki;
    final GatewayHarness us;
    final GatewayHarness mx;
    final AgencyClient cbp;
    final AgencyClient anam;
    final AgencyClient operator;
    final AgencyClient auditor;
    final AgencyClient agencyOnOps;

    private OpsGateways(GatewayPair pair) {
        this.pair = pair;
        this.pki = pair.pki;
        this.samplePki = pair.samplePki;
        this.us = pair.us;
        this.mx = pair.mx;
        int usOps = us.ports().ops();
        this.cbp = pair.agencyClient(us, "agency-cbp");
        this.anam = pair.agencyClient(mx, "agency-anam");
        this.operator = AgencyClient.sample(pki, Country.US, "operator", usOps);
        this.auditor = AgencyClient.sample(pki, Country.US, "auditor", usOps);
        this.agencyOnOps = AgencyClient.sample(pki, Country.US, "agency-cbp", usOps);
    }

    static OpsGateways start(Path dir, Map<String, String> usOverrides) {
        return new OpsGateways(GatewayPair.start(dir, usOverrides, Map.of()));
    }

    /** The sample manifest from CBP to ANAM, with an optional time-to-live. */
    static byte[] manifest(String timeToLive) {
        byte[] sample = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        if (timeToLive == null) {
            return sample;
        }
        ObjectNode doc = (ObjectNode) json(sample);
        doc.put("timeToLive", timeToLive);
        return CanonicalJson.bytes(doc);
    }

    /** Submits as CBP and returns the message id (the submission must be accepted). */
    String submit(byte[] document) {
        HttpResponse<byte[]> r = cbp.post("/api/v1/messages", document);
        if (r.statusCode() != 202) {
            throw new IllegalStateException("not accepted: " + r.statusCode() + " " + new String(r.body()));
        }
        return json(r.body()).get("messageId").asText();
    }

    String state(String messageId) {
        return json(cbp.get("/api/v1/messages/" + messageId).body()).get("state").asText();
    }

    /** Waits (bounded) until the message's outbox state is {@code expected}; returns the last state seen. */
    String awaitState(String messageId, String expected, Duration timeout) {
        return Poll.until(timeout, () -> Optional.of(state(messageId)).filter(expected::equals))
                .orElseGet(() -> state(messageId));
    }

    boolean inAnamMailbox(String messageId) {
        return anam.get("/api/v1/inbox/" + messageId).statusCode() == 200;
    }

    /** The US audit events of one type, as "actor | outcome | detail" lines, oldest first. */
    List<String> usAudit(String event) {
        return us.gateway().transactions().read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT actor, outcome, detail, message_id FROM audit_event WHERE event = ? ORDER BY id")) {
                ps.setString(1, event);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1) + " | " + rs.getString(2) + " | " + rs.getString(3) + " | " + rs.getString(4));
                    }
                }
            }
            return out;
        });
    }

    static JsonNode json(byte[] body) {
        try {
            return CanonicalJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(new String(body), e);
        }
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        return json(r.body());
    }

    @Override
    public void close() {
        pair.close();
    }
}
