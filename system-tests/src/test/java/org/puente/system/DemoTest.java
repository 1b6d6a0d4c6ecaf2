package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.puente.cli.demo.LocalExchange;

/**
 * {@code ./puente demo}, the main job, as a user runs it: both gateways, the simulated agencies,
 * the summary and the auditors' reconciliation; it exits 0 only when every valid message was
 * receipted, arrived exactly once, intact, and was confirmed delivered, the two mistakes were
 * refused with their codes, and both audit logs verify and reconcile — on every algorithm profile a
 * user can choose (the auditors' tools take each export's profile from its signature).
 */
class DemoTest {
    @ParameterizedTest(name = "--profile {0}")
    @ValueSource(strings = {"ec-p256", "ec-p384", "rsa-3072", "ml-kem-768-ml-dsa-65", "hybrid-p256-ml-kem-768-ml-dsa-65"})
    void the_demo_delivers_every_valid_message_once_and_reconciles_both_logs(String profile) {
        Path work = LocalExchange.home().resolve("system-tests/target/system/demo-" + profile);
        AuditTrailTest.Run r = AuditTrailTest.puente("demo", "--work", work.toString(), "--profile", profile);

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("submitted 22: accepted 20, refused 2")
                .contains("receipted by the peer gateway (in the sender's status history): 20 of 20")
                .contains("in the receiving mailbox exactly once: 20 of 20")
                .contains("delivered (acknowledged by the receiving agency, confirmed to the sender): 20")
                .contains("payloads byte-identical on arrival: 20 of 20")
                .contains("HTTP 400 invalid_container_number")
                .contains("HTTP 403 route_not_allowed")
                .contains("answered (business status back with the sender, signed by the receiving gateway): 20 of 20")
                .contains("ACCEPTED_WITH_WARNINGS by ")
                .containsPattern("US/CBP +case ANAM-UAJ-2026-0457 \\S+ \\(NORMAL, MX/ANAM asked\\): CLOSED, history: OPENED > ANSWERED FULFILLED on time")
                .containsPattern("MX/ANAM +case HSI-LR-2026-0193 \\S+ \\(URGENT, US/ICE-HSI asked\\): OPEN, OVERDUE")
                .contains("consent register (granted recipient allowed, another refused): yes")
                .containsPattern("may ANAM disclose \\S+ to Fiscalía General de la República\\? yes \\(granted\\)")
                .containsPattern("may ANAM disclose \\S+ to Servicio de Administración Tributaria\\? no \\(no_grant\\)")
                .contains("result: every valid message arrived once, intact, and was confirmed delivered and answered")
                .contains("RECONCILED: zero missing and zero mismatched in both directions.")
                // each country's export is cosigned by the other, its checkpoint time-stamped by its TSA
                .contains("witness: cosigned by gateway.mx.puente.sample (MX)")
                .contains("witness: cosigned by gateway.us.puente.sample (US)")
                .containsPattern("timestamp: the checkpoint existed at \\S+ \\(RFC 3161, CN=tsa.us.puente.sample")
                .containsPattern("timestamp: the checkpoint existed at \\S+ \\(RFC 3161, CN=tsa.mx.puente.sample")
                // and each auditor proves one message its country sent, offline
                .containsPattern("VERIFIED: the gateway.us.puente.sample entries of message \\S+ are in the log"
                        + " gateway.us.puente.sample signed and gateway.mx.puente.sample cosigned, unchanged")
                .containsPattern("VERIFIED: the gateway.mx.puente.sample entries of message \\S+ are in the log"
                        + " gateway.mx.puente.sample signed and gateway.us.puente.sample cosigned, unchanged")
                .contains("verified: signature valid");
    }
}
