package org.puente.routes.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.puente.certs.IssuedCredential;
import org.puente.certs.SamplePki;
import org.puente.envelope.keys.TimeStampSigningKey;
import org.puente.envelope.timestamp.SampleTimeStampAuthority;
import org.puente.model.CanonicalJson;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.Poll;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditHash;
import org.puente.audit.store.AuditStore;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;

/**
 * What the witnessing, time-stamp and evidence tests share: a message sent and receipted, the US
 * sample TSA, the log rewrite an insider can make, and an auditor's trusts.
 */
final class WitnessFixtures {
    private static final HexFormat HEX = HexFormat.of();

    private WitnessFixtures() {
    }

    /**
     * What an operator with the database and the audit key can do: change an entry, recompute every
     * hash after it and the chain head, drop the Merkle tree so it is rebuilt from the new hashes.
     */
    static void rewriteLogFrom(GatewayHarness gateway, long seq) {
        AuditStore store = new AuditStore();
        gateway.gateway().transactions().write(c -> {
            for (String t : List.of("audit_event_no_update", "audit_tree_node_no_delete", "audit_chain_head_forward_only")) {
                c.createStatement().execute("DROP TRIGGER " + t);
            }
            List<AuditEntry> entries = new ArrayList<>();
            store.walk(c, seq, store.head(c).seq(), entries::add);
            String prev = entries.get(0).prevHash();
            for (AuditEntry e : entries) {
                var event = e.seq() == seq ? e.event().withOutcome(e.event().outcome(), null, "rewritten") : e.event();
                String hash = AuditHash.hash(prev, e.seq(), e.country(), event);
                try (PreparedStatement ps = c.prepareStatement("UPDATE audit_event SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?")) {
                    ps.setString(1, event.detail());
                    ps.setString(2, prev);
                    ps.setString(3, hash);
                    ps.setLong(4, e.seq());
                    ps.executeUpdate();
                }
                prev = hash;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_chain_head SET hash = ? WHERE chain_id = 1")) {
                ps.setString(1, prev);
                ps.executeUpdate();
            }
            c.createStatement().execute("DELETE FROM audit_tree_node");
            return null;
        });
    }

    static StatementVerifier verifier() {
        return new StatementVerifier(AlgorithmProfile.EC_P256_AES256GCM);
    }

    static SignerTrust trust(GatewayPair gateways, String country) {
        return SignerTrust.builder()
                .roots(TrustMaterial.certificates(List.of(gateways.pki.resolve(country + "/root-ca.pem")), null))
                .expectedSignerName("gateway." + country + ".puente.sample").noAgeLimit().revocationChecking(false).build();
    }

    static List<byte[]> hexes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(n -> out.add(HEX.parseHex(n.asText())));
        return out;
    }


    /** The US sample PKI's TSA, served on a free local port. */
    static SampleTimeStampAuthority usTsa(SamplePki pki) {
        IssuedCredential key = pki.us().timeStampingAuthority();
        return new SampleTimeStampAuthority(TimeStampSigningKey.of(key.key(), key.chain()), 0).start();
    }

    /** Submits a US cargo manifest and waits for the peer's receipt; returns its message id. */
    static String sendAndWaitForReceipt(GatewayHarness us, AgencyClient cbp) {
        HttpResponse<byte[]> accepted = cbp.post("/api/v1/messages",
                SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes());
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id;
        try {
            id = CanonicalJson.mapper().readTree(accepted.body()).get("messageId").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(Poll.until(Duration.ofSeconds(20), () -> us.count("SELECT COUNT(*) FROM audit_event WHERE event = 'RECEIPTED'"
                + " AND message_id = ?", id) == 1 ? Optional.of(true) : Optional.empty())).isPresent();
        return id;
    }
}
