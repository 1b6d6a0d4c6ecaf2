package org.puente.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
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
 * the databases then closed as a stopped gateway leaves them).
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
    }

    /** A gateway log with one SUBMITTED-like event then {@code event} for each message; checkpoint; export of the day. */
    static void log(Country c, AuditEventType event, List<UUID> ids, Path dataDir, Path export) {
        String lower = c.name().toLowerCase();
        String gateway = "gateway." + lower + ".puente.sample";
        Clock clock = Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC);
        StatementSigner signer = new StatementSigner(KeyMaterial.load(pki.resolve(lower + "/gateway.p12"),
                SamplePki.samplePassword()), AlgorithmProfile.DEFAULT);
        try (Database db = Database.embedded(dataDir, 4); Transactions tx = new Transactions(db, 64)) {
            AuditLog audit = new AuditLog(c, db.dialect());
            tx.addParticipant(audit);
            for (int i = 0; i < ids.size(); i++) {
                AuditEvent e = AuditEvent.decoded(T0.plusSeconds(60L * i), event, ids.get(i), "corr-" + i, "cargo.manifest",
                        "US/CBP", "MX/ANAM", "CMAA-2000", "advance-cargo-risk-assessment", "COMMERCIAL_CONFIDENTIAL",
                        String.format("%064x", i), String.format("%064x", 1000 + i), gateway, AuditEvent.OK, null, null);
                tx.write(cn -> {
                    audit.append(cn, e);
                    return null;
                });
            }
            new AuditCheckpoints(tx, new AuditStore(), new CheckpointStore(), signer, gateway, c, clock).checkpoint();
            new AuditExporter(tx, new AuditStore(), new CheckpointStore(), signer, gateway, c, clock)
                    .exportPeriod(Instant.parse(DAY + "T00:00:00Z"), Instant.parse("2026-11-29T00:00:00Z"), export, "export");
        }
    }

    @Test
    void verify_an_intact_export_proves_its_signature_chain_and_checkpoint() {
        Run r = puente("audit", "verify", dir.resolve("us.jsonl").toString(), "--trust", pki("us/root-ca.pem"),
                "--crl", pki("us/root-ca.crl.pem"), pki("us/issuing-ca.crl.pem"));

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("signature: valid, signed by").contains("entries 1 to 6 (6 entries)")
                .contains("checkpoints: 1 verified, latest at entry 6").contains("VERIFIED");
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
            st.executeUpdate("DELETE FROM audit_event WHERE seq = 2");
        }

        Run r = puente("audit", "verify", "--data-dir", data.toString(), "--signer", "gateway.us.puente.sample",
                "--trust", pki("us/root-ca.pem"));

        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).contains("BROKEN at entry 2 (MISSING): the entry is not there: entry 1 is followed by entry 3");
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
