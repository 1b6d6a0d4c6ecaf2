package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.puente.audit.AuditHash;
import org.puente.audit.AuditKeys;
import org.puente.audit.CheckpointContent;
import org.puente.audit.CosignatureContent;
import org.puente.certs.SamplePki;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.EnvelopeSealer;
import org.puente.envelope.SealedEnvelope;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.receipt.Receipt;
import org.puente.envelope.receipt.ReceiptOutcome;
import org.puente.envelope.receipt.Receipts;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.model.AgencyRef;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;
import org.puente.model.samples.SampleMessages;
import org.puente.model.submission.SubmissionParser;
import org.puente.engine.peer.PeerProtocol;

/**
 * The receiving gateway's side of the peer link, driven by this test acting as the US gateway
 * with the US gateway's own keys: what fails verification or validation is answered with a
 * signed rejection and leaves nothing in any mailbox; a replayed envelope gets the original
 * receipt again; as the witness of the US log, the receiving gateway remembers what it cosigned
 * through a kill.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerLinkTest {
    static SystemExchange exchange;
    static KeyMaterial usKeys;
    static X509Certificate mxEncryption;
    static HttpClient asUsGateway;
    static Receipts receipts;

    @BeforeAll
    static void start() throws Exception {
        // the US gateway itself asks for no cosignature while the test speaks for it (its first tick is a day away)
        exchange = SystemExchange.start("peer-link", java.util.Map.of(Country.US,
                java.util.Map.of("puente.audit.checkpoint-interval", "PT24H")));
        Path pki = exchange.layout(Country.US).pki();
        usKeys = KeyMaterial.load(pki.resolve("us/gateway.p12"), SamplePki.samplePassword());
        mxEncryption = TrustMaterial.certificates(List.of(pki.resolve("mx/gateway-encryption.pem")), null).get(0);
        List<X509Certificate> mxRoot = TrustMaterial.certificates(List.of(pki.resolve("mx/root-ca.pem")), null);
        java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("mx-root", mxRoot.get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(usKeys.tlsKeyManagers(), tmf.getTrustManagers(), null);
        asUsGateway = HttpClient.newBuilder().sslContext(tls).build();
        mxTrust = SignerTrust.builder().roots(mxRoot)
                .crls(TrustMaterial.crls(List.of(pki.resolve("mx/issuing-ca.crl.pem"), pki.resolve("mx/root-ca.crl.pem"))))
                .expectedSignerName("gateway.mx.puente.sample").build();
        receipts = new Receipts(new StatementSigner(usKeys, AlgorithmProfile.DEFAULT),
                new StatementVerifier(AlgorithmProfile.DEFAULT), mxTrust, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    static EnvelopeHeader header(UUID id) {
        return new EnvelopeHeader(id, id.toString(), "cargo.manifest", "1.0", new AgencyRef(Country.US, "CBP"),
                new AgencyRef(Country.MX, "ANAM"), "CMAA-2000", "advance-cargo-risk-assessment",
                Sensitivity.COMMERCIAL_CONFIDENTIAL, "en", Instant.now().truncatedTo(ChronoUnit.MILLIS), Duration.ofHours(24),
                Priority.NORMAL);
    }

    static byte[] manifestPayload() {
        byte[] doc = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        return SubmissionParser.payloadBytes(doc, SubmissionParser.parse(doc));
    }

    /** Posts an envelope; the answer is verified as the receipt of that very envelope. */
    static Receipt post(EnvelopeHeader routing, SealedEnvelope sealed) throws Exception {
        byte[] body = CanonicalJson.bytes(new PeerProtocol.EnvelopeBatch(List.of(new PeerProtocol.EnvelopeItem(routing,
                sealed.bytes()))));
        HttpResponse<byte[]> r = asUsGateway.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                        + exchange.layout(Country.MX).peerPort() + PeerProtocol.ENVELOPES_PATH))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        PeerProtocol.ResultBatch results = CanonicalJson.read(r.body(), PeerProtocol.ResultBatch.class);
        lastReceiptBytes = results.results().get(0).receipt();
        return receipts.verifyReceipt(lastReceiptBytes, routing.messageId(), sealed.sha256());
    }

    static byte[] lastReceiptBytes;
    static SignerTrust mxTrust;

    /** A checkpoint of the US log at {@code treeSize} with Merkle root {@code rootHex}, signed with the US audit key. */
    static byte[] usCheckpoint(long treeSize, String rootHex) {
        byte[] cms = new StatementSigner(usKeys.auditSigning().orElseThrow(), AlgorithmProfile.DEFAULT)
                .sign(StatementType.AUDIT_CHECKPOINT, CanonicalJson.bytes(new CheckpointContent("gateway.us.puente.sample",
                        "US", treeSize, randomHex(), Instant.now().truncatedTo(ChronoUnit.MILLIS), 0L, AuditHash.GENESIS,
                        Duration.ofHours(24), rootHex)));
        return cms;
    }

    static String randomHex() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    static PeerProtocol.WitnessAnswer askToWitness(byte[] checkpoint) throws Exception {
        byte[] body = CanonicalJson.bytes(new PeerProtocol.WitnessRequest(checkpoint, 0, List.of()));
        HttpResponse<byte[]> r = asUsGateway.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                        + exchange.layout(Country.MX).peerPort() + PeerProtocol.CHECKPOINTS_PATH))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        return CanonicalJson.read(r.body(), PeerProtocol.WitnessAnswer.class);
    }

    @Test
    @Order(1)
    void a_header_changed_in_transit_gets_a_signed_rejection_and_stays_out_of_the_mailbox() throws Exception {
        UUID id = UUID.randomUUID();
        EnvelopeHeader signed = header(id);
        SealedEnvelope sealed = new EnvelopeSealer(usKeys, AlgorithmProfile.DEFAULT).seal(signed, manifestPayload(), mxEncryption);
        EnvelopeHeader changed = new EnvelopeHeader(id, signed.correlationId(), signed.messageType(), signed.schemaVersion(),
                signed.sender(), new AgencyRef(Country.MX, "SAT"), signed.legalBasis(), signed.purpose(),
                signed.sensitivity(), signed.language(), signed.createdAt(), signed.timeToLive(), signed.priority());
        Receipt r = post(changed, sealed);
        assertThat(r.outcome()).isEqualTo(ReceiptOutcome.REJECTED);
        assertThat(r.errorCode()).isEqualTo("header_mismatch");
        assertThat(exchange.awaitMailbox(Country.MX, "SAT", Set.of(), Duration.ZERO)).doesNotContainKey(id.toString());
        assertThat(exchange.awaitMailbox(Country.MX, "ANAM", Set.of(), Duration.ZERO)).doesNotContainKey(id.toString());
    }

    @Test
    @Order(2)
    void a_payload_that_breaks_the_schema_gets_a_signed_rejection_with_the_schema_code() throws Exception {
        UUID id = UUID.randomUUID();
        EnvelopeHeader h = header(id);
        byte[] payload = "{\"tripNumber\":\"T1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SealedEnvelope sealed = new EnvelopeSealer(usKeys, AlgorithmProfile.DEFAULT).seal(h, payload, mxEncryption);
        Receipt r = post(h, sealed);
        assertThat(r.outcome()).isEqualTo(ReceiptOutcome.REJECTED);
        assertThat(r.errorCode()).isEqualTo("required_field_missing");
        assertThat(r.retryable()).isFalse();
        assertThat(exchange.awaitMailbox(Country.MX, "ANAM", Set.of(), Duration.ZERO)).doesNotContainKey(id.toString());
    }

    @Test
    @Order(3)
    void a_replayed_envelope_gets_its_original_receipt_and_a_resealed_copy_a_receipt_naming_it_both_stored_once() throws Exception {
        UUID id = UUID.randomUUID();
        EnvelopeHeader h = header(id);
        SealedEnvelope sealed = new EnvelopeSealer(usKeys, AlgorithmProfile.DEFAULT).seal(h, manifestPayload(), mxEncryption);
        Receipt first = post(h, sealed);
        byte[] firstBytes = lastReceiptBytes;
        assertThat(first.outcome()).isEqualTo(ReceiptOutcome.ACCEPTED);
        Receipt again = post(h, sealed);
        assertThat(again.outcome()).isEqualTo(ReceiptOutcome.ACCEPTED);
        assertThat(lastReceiptBytes).isEqualTo(firstBytes);
        // sealed again (as an operator's re-drive does): the sender can only take a receipt naming what it sent now
        SealedEnvelope resealed = new EnvelopeSealer(usKeys, AlgorithmProfile.DEFAULT).seal(h, manifestPayload(), mxEncryption);
        Receipt forResealed = post(h, resealed);
        assertThat(forResealed.outcome()).isEqualTo(ReceiptOutcome.ACCEPTED);
        assertThat(exchange.awaitMailbox(Country.MX, "ANAM", Set.of(id.toString()), Duration.ofSeconds(60)))
                .containsEntry(id.toString(), 1);
    }

    @Test
    @Order(4)
    void a_stored_message_sent_again_after_it_expired_is_receipted_not_refused() throws Exception {
        // the sender's retry after a lost answer can come after the message's time to live: the
        // receiver stored it and must not now refuse it (the sender would record REJECTED for a
        // message the receiving agency has), whether it comes in the very envelope (answered from
        // the store) or sealed again (other bytes: opened and verified, then found stored, and
        // answered with a receipt naming them)
        UUID id = UUID.randomUUID();
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        EnvelopeHeader h = new EnvelopeHeader(id, id.toString(), "cargo.manifest", "1.0", new AgencyRef(Country.US, "CBP"),
                new AgencyRef(Country.MX, "ANAM"), "CMAA-2000", "advance-cargo-risk-assessment",
                Sensitivity.COMMERCIAL_CONFIDENTIAL, "en", created, Duration.ofSeconds(3), Priority.NORMAL);
        SealedEnvelope sealed = new EnvelopeSealer(usKeys, AlgorithmProfile.DEFAULT).seal(h, manifestPayload(), mxEncryption);
        Receipt first = post(h, sealed);
        byte[] firstBytes = lastReceiptBytes;
        assertThat(first.outcome()).isEqualTo(ReceiptOutcome.ACCEPTED);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), h.expiresAt()).toMillis()) + 500);

        Receipt again = post(h, sealed);
        byte[] againBytes = lastReceiptBytes;
        SealedEnvelope resealed = new EnvelopeSealer(usKeys, AlgorithmProfile.DEFAULT).seal(h, manifestPayload(), mxEncryption);
        Receipt resealedAnswer = post(h, resealed); // verified as the receipt of the re-sealed envelope

        assertThat(again.outcome()).as(again.errorCode()).isEqualTo(ReceiptOutcome.ACCEPTED);
        assertThat(againBytes).isEqualTo(firstBytes);
        assertThat(resealed.sha256()).isNotEqualTo(sealed.sha256());
        assertThat(resealedAnswer.outcome()).as(resealedAnswer.errorCode()).isEqualTo(ReceiptOutcome.ACCEPTED);
        assertThat(exchange.awaitMailbox(Country.MX, "ANAM", Set.of(id.toString()), Duration.ofSeconds(60)))
                .containsEntry(id.toString(), 1);
    }

    @Test
    @Order(5)
    void a_cosignature_leaves_the_witness_only_once_it_is_recorded_so_a_kill_cannot_make_it_cosign_a_fork() throws Exception {
        // the witness's promise: what it cosigned, it remembers, and it never cosigns another root
        // for the same tree size. Killed the moment its cosignature is in hand, it must still know.
        String root = randomHex();
        byte[] checkpoint = usCheckpoint(7, root);
        PeerProtocol.WitnessAnswer cosigned = askToWitness(checkpoint);
        exchange.exchange.process(Country.MX).kill();
        assertThat(cosigned.cosignature()).as(cosigned.refused() + ": " + cosigned.detail()).isNotNull();
        assertThat(CosignatureContent.verify(new StatementVerifier(AlgorithmProfile.DEFAULT), AuditKeys.trust(mxTrust),
                cosigned.cosignature()).covers("gateway.us.puente.sample", 7, root)).isTrue();
        exchange.restart(Country.MX);

        PeerProtocol.WitnessAnswer fork = askToWitness(usCheckpoint(7, randomHex()));
        PeerProtocol.WitnessAnswer again = askToWitness(checkpoint);

        assertThat(fork.cosignature()).as("a fork of what was cosigned before the kill").isNull();
        assertThat(fork.refused()).isEqualTo("checkpoint_inconsistent");
        assertThat(again.cosignature()).as("the same checkpoint again: the cosignature given before the kill")
                .isEqualTo(cosigned.cosignature());
    }

    @Test
    @Order(6)
    void peer_rejections_and_duplicates_are_audited_on_the_receiving_side() throws Exception {
        exchange.stop(Country.MX);
        try (Connection mx = exchange.database(Country.MX); Statement st = mx.createStatement()) {
            assertThat(EveryMessageTypeTest.count(st,
                    "SELECT COUNT(*) FROM audit_event WHERE event = 'PEER_REJECTED' AND error_code = 'header_mismatch'"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(EveryMessageTypeTest.count(st, "SELECT COUNT(*) FROM audit_event WHERE event = 'DUPLICATE'"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(EveryMessageTypeTest.count(st,
                    "SELECT COUNT(*) FROM inbox i WHERE EXISTS (SELECT 1 FROM audit_event a WHERE a.event = 'PEER_REJECTED'"
                            + " AND a.message_id = i.message_id)")).isZero();
        }
    }
}
