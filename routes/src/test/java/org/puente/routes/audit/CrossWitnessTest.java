package org.puente.routes.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.puente.audit.export.ExportFile;
import org.puente.audit.export.ExportFormat;
import org.puente.audit.verify.WitnessCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditKeys;
import org.puente.audit.CheckpointContent;
import org.puente.audit.CosignatureContent;
import org.puente.audit.merkle.MerkleHash;
import org.puente.audit.merkle.MerkleVerifier;
import org.puente.audit.store.AuditStore;
import org.puente.engine.audit.Witnessing;
import org.puente.engine.peer.PeerCall;
import org.puente.engine.peer.PeerProtocol;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.keys.SigningKeys;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.model.CanonicalJson;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;

/**
 * Cross-witnessing between the two gateways (docs/audit.md, "Cross-witnessing"), attacked where it
 * is weakest: the US log is rewritten — every hash recomputed, the tree rebuilt, a checkpoint
 * properly signed with the US audit key — after Mexico cosigned it, and Mexico refuses the next
 * checkpoint, keeps it as evidence and both sides count the refusal. An auditor proves an entry
 * against a cosigned checkpoint with nothing but the proof, the two signatures and RFC 9162.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossWitnessTest {
    private static final HexFormat HEX = HexFormat.of();
    @TempDir
    static Path dir;
    static GatewayPair gateways;
    static GatewayHarness us;
    static GatewayHarness mx;
    static AgencyClient cbp;
    static AgencyClient usAuditor;
    static long firstCosigned;

    @BeforeAll
    static void start() {
        gateways = GatewayPair.start(dir);
        us = gateways.us;
        mx = gateways.mx;
        cbp = gateways.agencyClient(us, "agency-cbp");
        usAuditor = AgencyClient.sample(gateways.pki, us.country(), "auditor", us.ports().ops());
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
    }

    @Test
    @Order(1)
    void the_peer_cosigns_a_checkpoint_and_an_auditor_proves_an_entry_against_it_offline() {
        String id = WitnessFixtures.sendAndWaitForReceipt(us, cbp);
        assertThat(us.gateway().audit().checkpoints().checkpoint()).isPresent();
        assertThat(us.gateway().audit().witnessing().witnessLatest()).isEqualTo(Witnessing.Result.COSIGNED);
        assertThat(mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'CHECKPOINT_WITNESSED'")).isEqualTo(1);

        long seq = json(usAuditor.get("/audit/v1/events?event=SENT&messageId=" + id)).get("entries").get(0).get("seq").asLong();
        JsonNode proof = json(usAuditor.get("/audit/v1/proofs/inclusion?seq=" + seq));
        JsonNode cosigned = json(usAuditor.get("/audit/v1/cosignatures")).get("checkpoints").get(0);
        firstCosigned = cosigned.get("treeSize").asLong();
        assertThat(proof.get("treeSize").asLong()).isEqualTo(firstCosigned);

        // the checkpoint: signed by the US audit key, with the root the proof leads to
        CheckpointContent cp = CheckpointContent.verify(WitnessFixtures.verifier(), AuditKeys.trust(WitnessFixtures.trust(gateways, "us")),
                Base64.getDecoder().decode(cosigned.get("checkpoint").asText()));
        assertThat(cp.seq()).isEqualTo(firstCosigned);
        assertThat(cp.rootHash()).isEqualTo(proof.get("rootHash").asText());
        // the cosignature: signed by the Mexican audit key, for exactly that size and root
        CosignatureContent cosignature = CosignatureContent.verify(WitnessFixtures.verifier(), AuditKeys.trust(WitnessFixtures.trust(gateways, "mx")),
                Base64.getDecoder().decode(cosigned.get("cosignature").asText()));
        assertThat(cosignature.covers("gateway.us.puente.sample", firstCosigned, cp.rootHash())).isTrue();
        assertThat(cosignature.witness()).isEqualTo("gateway.mx.puente.sample");
        // the entry's hash is in that tree
        MerkleVerifier.verifyInclusion(seq - 1, firstCosigned, MerkleHash.leafHash(HEX.parseHex(proof.get("entryHash").asText())),
                WitnessFixtures.hexes(proof.get("path")), HEX.parseHex(cp.rootHash()));
    }

    @Test
    @Order(2)
    void a_later_checkpoint_is_cosigned_only_with_a_consistency_proof_from_the_last_cosigned_one() throws java.io.IOException {
        WitnessFixtures.sendAndWaitForReceipt(us, cbp);
        assertThat(us.gateway().audit().checkpoints().checkpoint()).isPresent();
        long size = us.gateway().audit().checkpoints().latest().orElseThrow().seq();
        byte[] checkpoint = us.gateway().audit().checkpoints().latest().orElseThrow().statement();

        // a proof from another size than Mexico cosigned: Mexico answers with its size, cosigns nothing
        PeerCall<PeerProtocol.WitnessAnswer> off = us.gateway().peerClient().witness(
                new PeerProtocol.WitnessRequest(checkpoint, 1, List.of()));
        assertThat(off.answer().cosignature()).isNull();
        assertThat(off.answer().refused()).isEqualTo("witness_out_of_step");
        assertThat(off.answer().cosignedSize()).isEqualTo(firstCosigned);

        assertThat(us.gateway().audit().witnessing().witnessLatest()).isEqualTo(Witnessing.Result.COSIGNED);
        assertThat(mx.count("SELECT COUNT(*) FROM witnessed_checkpoint WHERE verdict = 'COSIGNED'")).isEqualTo(2);
        JsonNode consistency = json(usAuditor.get("/audit/v1/proofs/consistency?from=" + firstCosigned + "&to=" + size));
        MerkleVerifier.verifyConsistency(firstCosigned, size, HEX.parseHex(consistency.get("fromRoot").asText()),
                HEX.parseHex(consistency.get("toRoot").asText()), WitnessFixtures.hexes(consistency.get("path")));
        // the same proof offline, with puente alone: holds, and a changed root does not
        Path file = dir.resolve("consistency.json");
        Files.write(file, CanonicalJson.bytes(consistency));
        CommandRun ok = CommandRun.puente("audit", "proof", "consistency", file.toString());
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("OK tree of size " + firstCosigned + " is a prefix of tree of size " + size);
        Files.writeString(file, Files.readString(file).replace(consistency.get("toRoot").asText(), "0".repeat(64)));
        CommandRun refused = CommandRun.puente("audit", "proof", "consistency", file.toString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).startsWith("FAILED: ");
        assertThat(us.gateway().audit().witnessing().waiting()).isEqualTo(Duration.ZERO);
    }

    @Test
    @Order(3)
    void an_export_ends_with_the_peers_cosignature_and_the_proof_of_its_last_entry() throws Exception {
        Instant cosignedAt = us.gateway().audit().checkpoints().latest().orElseThrow().signedAt();
        HttpResponse<byte[]> r = usAuditor.get("/audit/v1/export?from=2000-01-01&to=" + cosignedAt);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        String body = new String(r.body(), StandardCharsets.UTF_8);
        Path file = exportFiles(body, "us-export.jsonl");
        CommandRun verified = verifyWithPeer(file);
        assertThat(verified.exit()).as(verified.toString()).isZero();
        assertThat(verified.out()).contains("witness: cosigned by gateway.mx.puente.sample (MX)")
                .contains("timestamp: none");
        ExportFile export = ExportFile.open(file);
        ExportFormat.WitnessLine line = export.witness().orElseThrow();
        assertThat(line.treeSize()).isEqualTo(export.header().lastSeq());
        WitnessCheck.Trusts trusts = new WitnessCheck.Trusts(WitnessFixtures.verifier(), AuditKeys.trust(WitnessFixtures.trust(gateways, "us")), AuditKeys.trust(WitnessFixtures.trust(gateways, "mx")));

        CosignatureContent c = WitnessCheck.check(line, "gateway.us.puente.sample", export.header().lastSeq(),
                export.header().lastHash(), trusts);
        assertThat(c.witness()).isEqualTo("gateway.mx.puente.sample");

        List<String> flipped = new ArrayList<>(line.path());
        flipped.set(0, (flipped.get(0).charAt(0) == '0' ? "1" : "0") + flipped.get(0).substring(1));
        assertThatThrownBy(() -> WitnessCheck.check(withPath(line, flipped), "gateway.us.puente.sample",
                export.header().lastSeq(), export.header().lastHash(), trusts))
                .hasMessageContaining("is not in the tree the peer cosigned");
        ExportFormat.WitnessLine selfCosigned = new ExportFormat.WitnessLine(line.kind(), line.treeSize(), line.rootHash(),
                line.checkpoint(), line.checkpoint(), null, line.seq(), line.entryHash(), line.path());
        assertThatThrownBy(() -> WitnessCheck.check(selfCosigned, "gateway.us.puente.sample", export.header().lastSeq(),
                export.header().lastHash(), trusts)).hasMessageContaining("the cosignature is not the peer's");
        assertThatThrownBy(() -> WitnessCheck.check(line, "gateway.us.puente.sample", export.header().lastSeq(),
                "0".repeat(64), trusts)).hasMessageContaining("not the export's last entry");
    }

    @Test
    @Order(4)
    void verify_with_the_peers_root_refuses_an_export_whose_last_entry_no_cosigned_checkpoint_holds() throws Exception {
        WitnessFixtures.sendAndWaitForReceipt(us, cbp);
        HttpResponse<byte[]> r = usAuditor.get("/audit/v1/export?from=2000-01-01&to=" + Instant.now().plusSeconds(1));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        Path file = exportFiles(body, "us-export-unwitnessed.jsonl");

        CommandRun refused = verifyWithPeer(file);
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).contains("VERIFIED: every entry is in place")
                .contains("witness: MISSING: no checkpoint cosigned by the peer held entry");
        // the same export without --peer-trust: the chain holds, the witness is only reported
        CommandRun plain = CommandRun.puente("audit", "verify", file.toString(),
                "--trust", gateways.pki.resolve("us/root-ca.pem").toString());
        assertThat(plain.exit()).as(plain.toString()).isZero();
        assertThat(plain.out()).contains("witness: none (give --peer-trust");
    }

    /** The export as served, written as the lines and their detached signature ({@code name}.p7s). */
    private static Path exportFiles(String body, String name) throws java.io.IOException {
        int signature = body.lastIndexOf("{\"cms\"");
        Path file = dir.resolve(name);
        Files.writeString(file, body.substring(0, signature));
        Files.write(dir.resolve(name + ".p7s"), Base64.getDecoder().decode(
                CanonicalJson.mapper().readTree(body.substring(signature)).get("cms").asText()));
        return file;
    }

    private static CommandRun verifyWithPeer(Path export) {
        return CommandRun.puente("audit", "verify", export.toString(), "--trust", gateways.pki.resolve("us/root-ca.pem").toString(),
                "--peer-trust", gateways.pki.resolve("mx/root-ca.pem").toString(), "--peer-signer", "gateway.mx.puente.sample");
    }

    private static ExportFormat.WitnessLine withPath(ExportFormat.WitnessLine l, List<String> path) {
        return new ExportFormat.WitnessLine(l.kind(), l.treeSize(), l.rootHash(), l.checkpoint(), l.cosignature(),
                l.timestamp(), l.seq(), l.entryHash(), path);
    }

    @Test
    @Order(5)
    void a_checkpoint_signed_with_the_message_key_is_refused_with_its_code() {
        StatementSigner messageKey = new StatementSigner(new SigningKeys(us.gateway().security()::keys,
                us.gateway().security().profile()), CryptoProviders.RECOMMENDED, Clock.systemUTC());
        byte[] forged = messageKey.sign(StatementType.AUDIT_CHECKPOINT, us.gateway().audit().checkpoints().latest()
                .map(cp -> CheckpointContent.verify(WitnessFixtures.verifier(), AuditKeys.trust(WitnessFixtures.trust(gateways, "us")), cp.statement()))
                .map(CanonicalJson::bytes).orElseThrow());
        PeerCall<PeerProtocol.WitnessAnswer> call = us.gateway().peerClient().witness(
                new PeerProtocol.WitnessRequest(forged, 0, List.of()));
        assertThat(call.kind()).isEqualTo(PeerCall.Kind.TRANSPORT_ERROR_NO_RETRY);
        assertThat(call.detail()).isEqualTo("HTTP 400 wrong_key_usage");
        assertThat(mx.count("SELECT COUNT(*) FROM witnessed_checkpoint")).isEqualTo(2);
    }

    @Test
    @Order(6)
    void a_log_rewritten_after_the_peer_cosigned_it_is_refused_kept_as_evidence_and_counted_on_both_sides() {
        WitnessFixtures.rewriteLogFrom(us, 2);
        WitnessFixtures.sendAndWaitForReceipt(us, cbp);
        assertThat(us.gateway().audit().checkpoints().checkpoint()).isPresent();

        assertThat(us.gateway().audit().witnessing().witnessLatest()).isEqualTo(Witnessing.Result.REFUSED);

        assertThat(mx.count("SELECT COUNT(*) FROM witnessed_checkpoint WHERE verdict = 'REFUSED'"
                + " AND origin = 'gateway.us.puente.sample'")).isEqualTo(1);
        assertThat(mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'WITNESS_REFUSED'"
                + " AND error_code = 'checkpoint_inconsistent'")).isEqualTo(1);
        assertThat(us.count("SELECT COUNT(*) FROM audit_event WHERE event = 'COSIGNATURE_REFUSED'"
                + " AND error_code = 'checkpoint_inconsistent'")).isEqualTo(1);
        assertThat(refusals(mx, "witness")).isEqualTo(1);
        assertThat(refusals(us, "origin")).isEqualTo(1);
        // the refused checkpoint is kept whole: a genuine US signature over the rewritten root
        byte[] evidence = mx.bytes("SELECT checkpoint FROM witnessed_checkpoint WHERE verdict = 'REFUSED'");
        assertThat(CheckpointContent.verify(WitnessFixtures.verifier(), AuditKeys.trust(WitnessFixtures.trust(gateways, "us")), evidence).rootHash()).hasSize(64);
        // and the US side cannot get a cosignature for anything after it
        assertThat(us.gateway().audit().witnessing().waiting()).isPositive();
        // nor prove a rewritten entry against what Mexico cosigned: what an auditor's verify checks
        AuditEntry rewritten = us.gateway().transactions().read(c -> new AuditStore().entry(c, 2)).orElseThrow();
        ExportFormat.WitnessLine line = us.gateway().audit().proofs().witnessLine(2, rewritten.hash()).orElseThrow();
        assertThat(line.treeSize()).isEqualTo(firstCosigned);
        assertThatThrownBy(() -> WitnessCheck.check(line, "gateway.us.puente.sample", 2, rewritten.hash(),
                new WitnessCheck.Trusts(WitnessFixtures.verifier(), AuditKeys.trust(WitnessFixtures.trust(gateways, "us")), AuditKeys.trust(WitnessFixtures.trust(gateways, "mx")))))
                .hasMessageContaining("is not in the tree the peer cosigned");
    }

    private static double refusals(GatewayHarness g, String side) {
        MeterRegistry registry = g.context().getRegistry().lookupByNameAndType("prometheusMeterRegistry", MeterRegistry.class);
        return registry.get("gateway.audit.witness.refusals").tag("side", side).functionCounter().count();
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).as(new String(r.body())).isIn(200, 202);
        try {
            return CanonicalJson.mapper().readTree(r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
