package org.puente.routes.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.engine.audit.Witnessing;
import org.puente.envelope.timestamp.SampleTimeStampAuthority;
import org.puente.envelope.timestamp.TimeStampVerifier;
import org.puente.envelope.timestamp.VerifiedTimeStamp;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;

/**
 * Checkpoints carry an RFC 3161 time-stamp from a real TSA (the sample PKI's, served over HTTP by
 * Bouncy Castle's generator), and a TSA outage stops nothing: messages still flow, checkpoints are
 * still signed and cosigned, and the ones waiting for a token are counted until the TSA is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckpointTimestampTest {
    @TempDir
    static Path dir;
    static GatewayPair gateways;
    static SampleTimeStampAuthority tsa;
    static GatewayHarness us;
    static AgencyClient cbp;

    @BeforeAll
    static void start() throws Exception {
        SamplePki pki = SamplePki.generate();
        tsa = WitnessFixtures.usTsa(pki);
        // the TSA of the US sample PKI: its certificate chains to the US root, the default trust
        gateways = GatewayPair.start(dir, pki, Map.of("puente.audit.tsa-url", tsa.url().toString()), Map.of());
        us = gateways.us;
        cbp = gateways.agencyClient(us, "agency-cbp");
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
        if (tsa != null) {
            tsa.close();
        }
    }

    @Test
    @Order(1)
    void a_checkpoint_is_stamped_by_the_tsa_over_its_exact_bytes() throws Exception {
        WitnessFixtures.sendAndWaitForReceipt(us, cbp);
        us.gateway().audit().checkpointAndWitness();
        long seq = us.gateway().audit().checkpoints().latest().orElseThrow().seq();
        byte[] checkpoint = us.gateway().audit().checkpoints().latest().orElseThrow().statement();
        byte[] token = us.bytes("SELECT token FROM audit_timestamp WHERE seq = ?", seq);
        VerifiedTimeStamp v = TimeStampVerifier.verify(token, MessageDigest.getInstance("SHA-256").digest(checkpoint),
                TrustMaterial.certificates(List.of(dir.resolve("pki/us/root-ca.pem")), null));
        assertThat(v.tsaSubject()).contains("tsa.us.puente.sample");
        assertThat(backlog()).isZero();
    }

    @Test
    @Order(2)
    void a_tsa_outage_stops_nothing_and_the_waiting_checkpoints_are_counted_until_it_is_back() {
        tsa.setAvailable(false);
        long stampedBefore = us.count("SELECT COUNT(*) FROM audit_timestamp");
        WitnessFixtures.sendAndWaitForReceipt(us, cbp);
        us.gateway().audit().checkpointAndWitness();
        WitnessFixtures.sendAndWaitForReceipt(us, cbp);
        us.gateway().audit().checkpointAndWitness();

        assertThat(us.count("SELECT COUNT(*) FROM audit_timestamp")).isEqualTo(stampedBefore);
        assertThat(backlog()).isEqualTo(2);
        assertThat(us.gateway().audit().witnessing().witnessLatest()).isEqualTo(Witnessing.Result.NOTHING_TO_DO);
        assertThat(us.gateway().audit().witnessing().waiting()).isEqualTo(Duration.ZERO); // cosigned all the same

        tsa.setAvailable(true);
        us.gateway().audit().checkpointAndWitness();
        assertThat(backlog()).isZero();
        assertThat(us.count("SELECT COUNT(*) FROM audit_timestamp")).isEqualTo(stampedBefore + 2);
    }

    private static double backlog() {
        MeterRegistry registry = us.context().getRegistry().lookupByNameAndType("prometheusMeterRegistry", MeterRegistry.class);
        return registry.get("gateway.audit.timestamp.backlog").gauge().value();
    }
}
