package org.puente.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.cli.PuenteCommand;
import org.puente.cli.exit.ExitCodes;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.audit.verify.AuditVerification;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.engine.audit.AuditCheckpoints;
import org.puente.engine.audit.AuditExporter;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.CheckpointStore;
import org.puente.engine.store.Database;
import org.puente.engine.store.Transactions;
import picocli.CommandLine;

/**
 * {@code puente audit verify|show|reconcile} on real gateway databases and exports: one US log
 * that sent six messages and one MX log that stored them (written with the engine's own classes,
 * the databases then closed as a stopped gateway leaves them). Checkpoints and exports are signed
 * with the gateway's audit key; the tampering is done as someone holding the database file would
 * (dropping the database's append-only triggers first).
 */
class AuditCommandsTest {
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final String DAY = "2026-11-28";
    @TempDir
    static Path dir;
    static Path pki;
    static List<UUID> messages = java.util.stream.IntStream.range(0, 6)
            .mapToObj(i -> UUID.nameUUIDFromBytes(("message " + i).getBytes(StandardCharsets.UTF_8))).toList();

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void twoLogsAndTheirExports() {
        pki = dir.resolve("pki");
        SamplePki.generate().writeTo(pki, SamplePki.samplePassword());
        log(Country.US, AuditEventType.SENT, messages, dir.resolve("us-data"), dir.resolve("us.jsonl"));
        log(Country.MX, AuditEventType.STORED, messages, dir.resolve("mx-data"), dir.resolve("mx.jsonl"));
        log(Country.MX, AuditEventType.STORED, messages.subList(0, 5), dir.resolve("mx-short-data"), dir.resolve("mx-short.jsonl"));
        // ANAM answered messages 0, 1 and 2; the US log holds the answers to 0 and 1 only, and one to 4 never given
        log(Country.US, List.of(new Events(AuditEventType.SENT, messages),
                new Events(AuditEventType.ANSWER_RECEIVED, List.of(messages.get(0), messages.get(1), messages.get(4)))),
                dir.resolve("us-answers-data"), dir.resolve("us-answers.jsonl"));
        log(Country.MX, List.of(new Events(AuditEventType.STORED, messages),
                new Events(AuditEventType.ANSWER_GIVEN, messages.subList(0, 3))),
                dir.resolve("mx-answers-data"), dir.resolve("mx-answers.jsonl"));
    }

    record Events(AuditEventType type, List<UUID> ids) {
    }

    /** A gateway log with one SUBMITTED-like event then {@code event} for each message; checkpoint; export of the day. */
    static void log(Country c, AuditEventType event, List<UUID> ids, Path dataDir, Path export) {
        log(c, List.of(new Events(event, ids)), dataDir, export);
    }

    /** A gateway log with the events of each list in turn, a minute apart; checkpoint; export of the day. */
    static void log(Country c, List<Events> lists, Path dataDir, Path export) {
        List<AuditEventType> types = new java.util.ArrayList<>();
        List<UUID> ids = new java.util.ArrayList<>();
        lists.forEach(l -> l.ids().forEach(id -> {
            types.add(l.type());
            ids.add(id);
        }));
        String lower = c.name().toLowerCase();
        String gateway = "gateway." + lower + ".puente.sample";
        // the checkpoint is signed a minute after the last entry, as a gateway does within its interval
        Clock clock = Clock.fixed(T0.plusSeconds(60L * ids.size()), ZoneOffset.UTC);
        KeyMaterial keys = KeyMaterial.load(pki.resolve(lower + "/gateway.p12"), SamplePki.samplePassword());
        StatementSigner signer = new StatementSigner(keys.auditSigning().orElseThrow(), AlgorithmProfile.DEFAULT);
        StatementVerifier verifier = new StatementVerifier(AlgorithmProfile.DEFAULT);
        SignerTrust own = SignerTrust.builder().roots(TrustMaterial.certificates(List.of(pki.resolve(lower + "/root-ca.pem")),
                null)).expectedSignerName(gateway).noAgeLimit().revocationChecking(false).build();
        try (Database db = Database.embedded(dataDir, 4); Transactions tx = new Transactions(db, 64)) {
            AuditLog audit = new AuditLog(c, db.dialect());
            tx.addParticipant(audit);
            for (int i = 0; i < ids.size(); i++) {
                AuditEvent e = AuditEvent.decoded(T0.plusSeconds(60L * i), types.get(i), ids.get(i), "corr-" + i, "cargo.manifest",
                        "US/CBP", "MX/ANAM", "CMAA-2000", "advance-cargo-risk-assessment", "COMMERCIAL_CONFIDENTIAL",
                        String.format("%064x", i), String.format("%064x", 1000 + i), gateway, AuditEvent.OK, null, null);
                tx.write(cn -> {
                    audit.append(cn, e);
                    return null;
                });
            }
            AuditCheckpoints checkpoints = new AuditCheckpoints(tx, new AuditStore(), new CheckpointStore(), signer, gateway,
                    c, Duration.ofMinutes(5), clock, new org.puente.engine.audit.AuditTree(tx, new AuditStore(),
                    new org.puente.audit.store.TreeStore()));
            checkpoints.checkpoint();
            new AuditExporter(tx, new AuditStore(), new CheckpointStore(), checkpoints, new AuditVerification(verifier, own),
                    signer, gateway, c, clock).exportPeriod(Instant.parse(DAY + "T00:00:00Z"), Instant.parse("2026-11-29T00:00:00Z"), export, "export");
        }
    }

    @Test
    void verify_an_intact_export_proves_its_signature_chain_and_checkpoint() {
        Run r = puente("audit", "verify", dir.resolve("us.jsonl").toString(), "--trust", pki("us/root-ca.pem"),
                "--crl", pki("us/root-ca.crl.pem"), pki("us/issuing-ca.crl.pem"));

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("signature: valid, signed by").contains("entries 1 to 6 (6 entries)")
                .contains("checkpoints: 1 verified, chained and on time, latest at entry 6").contains("VERIFIED");
    }

    @Test
    void verify_refuses_an_export_signed_with_the_gateways_message_key_instead_of_its_audit_key() throws Exception {
        Path copy = copyExport("us.jsonl", "us-message-key.jsonl");
        try (var in = Files.newInputStream(copy)) {
            Files.write(dir.resolve("us-message-key.jsonl.p7s"), messageSigner(Country.US).signDetached(in));
        }

        Run r = puente("audit", "verify", copy.toString(), "--trust", pki("us/root-ca.pem"));

        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).contains("signature: INVALID: wrong_key_usage");
    }

    @Test
    void an_export_made_before_the_audit_key_verifies_only_when_the_auditor_accepts_legacy_evidence() throws Exception {
        Path legacy = legacyExport("us.jsonl", "us-legacy.jsonl");

        Run strict = puente("audit", "verify", legacy.toString(), "--trust", pki("us/root-ca.pem"));
        Run accepting = puente("audit", "verify", legacy.toString(), "--trust", pki("us/root-ca.pem"), "--legacy");

        assertThat(strict.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(strict.out()).contains("signature: INVALID: wrong_key_usage")
                .contains("BROKEN at entry 6 (CHECKPOINT_INVALID)").contains("wrong_key_usage");
        assertThat(accepting.exit()).as(accepting.out() + accepting.err()).isEqualTo(ExitCodes.OK);
        assertThat(accepting.out()).contains("legacy: puente-audit-export/1, the message key")
                .contains("made before checkpoints named their predecessor").contains("VERIFIED");
    }

    @Test
    void verify_reports_the_first_changed_entry_of_an_export_and_exits_1() throws Exception {
        Path copy = copyExport("us.jsonl", "us-changed.jsonl");
        List<String> lines = Files.readAllLines(copy);
        lines.set(5, lines.get(5).replace("\"MX/ANAM\"", "\"MX/SAT\""));
        Files.write(copy, lines);

        Run r = puente("audit", "verify", copy.toString(), "--trust", pki("us/root-ca.pem"));

        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).contains("signature: INVALID: bad_signature").contains("BROKEN at entry 4 (ALTERED)");
        assertThat(r.err()).contains("revocation is not checked");
    }

    @Test
    void verify_checks_the_export_against_the_right_country() {
        Run r = puente("audit", "verify", dir.resolve("us.jsonl").toString(), "--trust", pki("mx/root-ca.pem"));

        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).contains("signature: INVALID: untrusted_chain").contains("CHECKPOINT_INVALID");
    }

    @Test
    void verify_a_stopped_gateways_database_read_only() {
        Run r = puente("audit", "verify", "--data-dir", dir.resolve("us-data").toString(), "--signer", "gateway.us.puente.sample",
                "--trust", pki("us/root-ca.pem"), "--crl", pki("us/root-ca.crl.pem"), pki("us/issuing-ca.crl.pem"));

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("entries 1 to 6").contains("VERIFIED");
    }

    @Test
    void verify_a_tampered_database_names_the_deleted_entry() throws Exception {
        Path data = dir.resolve("tampered-data");
        log(Country.US, AuditEventType.SENT, messages, data, dir.resolve("tampered.jsonl"));
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("puente.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("DROP TRIGGER audit_event_no_delete");
            st.executeUpdate("DELETE FROM audit_event WHERE seq = 2");
        }

        Run r = puente("audit", "verify", "--data-dir", data.toString(), "--signer", "gateway.us.puente.sample",
                "--trust", pki("us/root-ca.pem"));

        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).contains("BROKEN at entry 2 (MISSING): the entry is not there: entry 1 is followed by entry 3");
    }

    @Test
    void verify_a_database_whose_checkpoints_were_deleted_reports_the_entries_no_checkpoint_vouches_for() throws Exception {
        Path data = dir.resolve("no-checkpoints-data");
        log(Country.US, AuditEventType.SENT, messages, data, dir.resolve("no-checkpoints.jsonl"));
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("puente.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("DROP TRIGGER audit_checkpoint_no_delete");
            st.executeUpdate("DELETE FROM audit_checkpoint");
        }
        String[] verify = {"audit", "verify", "--data-dir", data.toString(), "--signer", "gateway.us.puente.sample",
                "--trust", pki("us/root-ca.pem")};

        Run r = puente(verify);
        String[] tolerant = java.util.stream.Stream.concat(java.util.Arrays.stream(verify),
                java.util.stream.Stream.of("--max-checkpoint-gap", "P3650D")).toArray(String[]::new);
        Run known = puente(tolerant);

        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).contains("checkpoints: 0 verified").contains("BROKEN at entry 1 (CHECKPOINT_GAP): entries 1 to 6"
                + " are vouched for by no checkpoint");
        assertThat(known.exit()).as("an auditor who knows of an outage can allow a longer wait").isEqualTo(ExitCodes.OK);
    }

    @Test
    void verify_needs_one_source_and_a_signer_for_a_database() {
        assertThat(puente("audit", "verify", "--trust", pki("us/root-ca.pem")).exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(puente("audit", "verify", "--data-dir", dir.resolve("us-data").toString(), "--trust", pki("us/root-ca.pem"))
                .exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void show_prints_the_story_of_one_message_from_both_countries_exports() {
        Run r = puente("audit", "show", messages.get(2).toString(), "--export", dir.resolve("us.jsonl").toString(),
                dir.resolve("mx.jsonl").toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("cargo.manifest, US/CBP -> MX/ANAM, legal basis CMAA-2000");
        assertThat(r.out().lines().filter(l -> l.contains(" SENT ") || l.contains(" STORED "))).hasSize(2);
    }

    @Test
    void reconcile_two_exports_of_the_same_day_finds_every_message_on_both_sides() {
        Run r = puente("audit", "reconcile", dir.resolve("us.jsonl").toString(), dir.resolve("mx.jsonl").toString(),
                "--us-root", pki("us/root-ca.pem"), "--mx-root", pki("mx/root-ca.pem"));

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("US -> MX: 6 matched").contains("0 missing at MX, 0 missing at US, 0 mismatched")
                .contains("RECONCILED");
    }

    @Test
    void reconcile_names_a_message_sent_but_never_stored_and_exits_1() {
        Run r = puente("audit", "reconcile", dir.resolve("us.jsonl").toString(), dir.resolve("mx-short.jsonl").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).contains("US -> MX: 5 matched").contains("1 missing at MX")
                .contains("sent by US, never stored by MX: " + messages.get(5)).contains("MISMATCH");
    }

    @Test
    void reconcile_matches_business_answers_and_names_one_given_but_never_received_and_one_received_but_never_given() {
        Run r = puente("audit", "reconcile", dir.resolve("us-answers.jsonl").toString(),
                dir.resolve("mx-answers.jsonl").toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).contains("US -> MX: 6 matched")
                .contains("business answers of MX to US: 2 matched, 1 given by MX never received by US,"
                        + " 1 received by US never given by MX, 0 unsettled")
                .contains("answer given by MX, never received by US: " + messages.get(2))
                .contains("answer received by US, never given by MX: " + messages.get(4))
                .contains("MISMATCH");
    }

    @Test
    void reconcile_refuses_two_exports_of_one_country() {
        Run r = puente("audit", "reconcile", dir.resolve("us.jsonl").toString(), dir.resolve("us.jsonl").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("error inconsistent_fields");
    }

    private static Path copyExport(String name, String copy) throws Exception {
        Path target = dir.resolve(copy);
        Files.copy(dir.resolve(name), target);
        Files.copy(dir.resolve(name + ".p7s"), dir.resolve(copy + ".p7s"));
        return target;
    }

    private static StatementSigner messageSigner(Country c) {
        return new StatementSigner(KeyMaterial.load(pki.resolve(c.name().toLowerCase() + "/gateway.p12"),
                SamplePki.samplePassword()), AlgorithmProfile.DEFAULT);
    }

    /**
     * The same log as an export made before audit keys existed: format 1, its checkpoint naming no
     * predecessor, checkpoint and file signed with the message key.
     */
    private static Path legacyExport(String name, String copy) throws Exception {
        StatementSigner signer = messageSigner(Country.US);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(dir.resolve(name)));
        for (int i = 0; i < lines.size(); i++) {
            ObjectNode n = (ObjectNode) CanonicalJson.mapper().readTree(lines.get(i));
            String kind = n.path("kind").asText();
            if ("header".equals(kind)) {
                n.put("format", "puente-audit-export/1");
            } else if ("checkpoint".equals(kind)) {
                ObjectNode content = CanonicalJson.mapper().createObjectNode();
                content.put("at", n.path("signedAt").asText()).put("country", "US").put("gateway", "gateway.us.puente.sample")
                        .put("hash", n.path("hash").asText()).put("seq", n.path("seq").asLong());
                n.put("statement", java.util.Base64.getEncoder().encodeToString(
                        signer.sign(StatementType.AUDIT_CHECKPOINT, CanonicalJson.bytes(content))));
            } else {
                continue;
            }
            lines.set(i, new String(CanonicalJson.bytes(n), StandardCharsets.UTF_8));
        }
        Path target = dir.resolve(copy);
        Files.write(target, lines, StandardCharsets.UTF_8);
        try (var in = Files.newInputStream(target)) {
            Files.write(dir.resolve(copy + ".p7s"), signer.signDetached(in));
        }
        return target;
    }

    private static String pki(String file) {
        return pki.resolve(file).toString();
    }

    static Run puente(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = PuenteCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
