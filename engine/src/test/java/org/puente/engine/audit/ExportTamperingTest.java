package org.puente.engine.audit;

import org.puente.audit.CheckpointContent;
import org.puente.audit.verify.AuditVerification;
import org.puente.audit.verify.ChainBreak;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.envelope.statement.StatementType;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.audit.AuditHash;
import org.puente.engine.testing.TestDatabase;

/**
 * An export file proves itself: its detached signature (the gateway's audit key) covers every
 * byte, and its chain and checkpoints locate any change; every entry of the file is vouched for by
 * a checkpoint in it. Ten entries (one a minute from T0 + 1 min), checkpoints at 4 and 10.
 */
class ExportTamperingTest {
    @TempDir
    Path dir;
    TestDatabase db;
    AuditExporter exporter;

    @BeforeEach
    void tenEntries() {
        db = new TestDatabase(TestDatabase.Kind.SQLITE);
        AuditFixtures.tenEntries(db);
        exporter = AuditFixtures.exporter(db.tx(), AuditFixtures.T0.plusSeconds(7200));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Path exportAll() {
        Path file = dir.resolve("us.jsonl");
        exporter.exportPeriod(AuditFixtures.T0, AuditFixtures.T0.plusSeconds(3600), file, "export");
        return file;
    }

    @Test
    void an_untouched_export_verifies_its_signature_chain_and_checkpoints() {
        Path file = exportAll();

        AuditVerification.ExportResult r = AuditFixtures.verification().verifyExport(file);

        assertThat(r.intact()).isTrue();
        assertThat(r.signer()).get().asString().contains(AuditFixtures.US_GATEWAY);
        assertThat(r.chain().entries()).isEqualTo(10);
        assertThat(r.chain().checkpoints()).isEqualTo(2);
        assertThat(r.header().firstSeq()).isEqualTo(1);
        assertThat(r.header().lastSeq()).isEqualTo(10);
    }

    @Test
    void an_export_of_part_of_the_log_starts_from_the_hash_before_it_and_goes_on_to_the_checkpoint_of_its_last_entry() {
        Path file = dir.resolve("part.jsonl");
        // entries 3 to 6 were written in the period; checkpoint 10 is the first to vouch for entry 6
        exporter.exportPeriod(AuditFixtures.T0.plusSeconds(180), AuditFixtures.T0.plusSeconds(420), file, "export");

        AuditVerification.ExportResult r = AuditFixtures.verification().verifyExport(file);

        assertThat(r.intact()).as(String.valueOf(r.chain().firstBreak())).isTrue();
        assertThat(r.header().format()).isEqualTo("puente-audit-export/2");
        assertThat(r.chain().firstSeq()).isEqualTo(3);
        assertThat(r.chain().lastSeq()).isEqualTo(10);
        assertThat(r.chain().checkpoints()).isEqualTo(2);
    }

    @Test
    void an_export_of_entries_no_checkpoint_covers_yet_signs_one_first() {
        AuditLog audit = AuditFixtures.registered(db.tx(), db.database().dialect());
        AuditFixtures.write(db.tx(), audit, 11, 2);
        Path file = dir.resolve("head.jsonl");

        AuditFixtures.exporter(db.tx(), AuditFixtures.T0.plusSeconds(13 * 60))
                .exportPeriod(AuditFixtures.T0, AuditFixtures.T0.plusSeconds(3600), file, "export");

        AuditVerification.ExportResult r = AuditFixtures.verification().verifyExport(file);
        assertThat(r.intact()).as(String.valueOf(r.chain().firstBreak())).isTrue();
        assertThat(r.chain().lastSeq()).isEqualTo(12);
        assertThat(r.chain().latestCheckpointSeq()).isEqualTo(12);
    }

    @Test
    void a_checkpoint_line_removed_from_an_export_leaves_entries_no_checkpoint_of_the_file_vouches_for() throws IOException {
        Path file = exportAll();
        rewrite(file, lines -> lines.removeIf(l -> l.contains("\"kind\":\"checkpoint\"") && l.contains("\"seq\":10,")));

        AuditVerification.ExportResult r = AuditFixtures.verification().verifyExport(file);

        assertThat(r.signatureFailure()).get().asString().startsWith("bad_signature");
        assertBreak(r, 5, ChainBreak.Kind.CHECKPOINT_GAP);
    }

    @Test
    void an_export_signed_with_the_gateways_message_key_instead_of_its_audit_key_is_refused() throws IOException {
        Path file = exportAll();
        try (var in = Files.newInputStream(file)) {
            Files.write(file.resolveSibling(file.getFileName() + ".p7s"), AuditFixtures.signer(Country.US).signDetached(in));
        }

        AuditVerification.ExportResult r = AuditFixtures.verification().verifyExport(file);

        assertThat(r.intact()).isFalse();
        assertThat(r.signatureFailure()).get().asString().startsWith("wrong_key_usage");
        assertThat(r.chain().firstBreak()).isEmpty();
    }

    @Test
    void a_changed_field_fails_the_signature_and_is_located_at_its_entry() throws IOException {
        Path file = exportAll();
        rewrite(file, lines -> {
            int i = lineOf(lines, 6);
            lines.set(i, lines.get(i).replace("\"MX/ANAM\"", "\"MX/SAT\""));
        });

        AuditVerification.ExportResult r = AuditFixtures.verification().verifyExport(file);

        assertThat(r.signatureFailure()).get().asString().startsWith("bad_signature");
        assertBreak(r, 6, ChainBreak.Kind.ALTERED);
    }

    @Test
    void a_deleted_entry_is_reported_missing_at_its_position() throws IOException {
        Path file = exportAll();
        rewrite(file, lines -> lines.remove(lineOf(lines, 5)));

        assertBreak(AuditFixtures.verification().verifyExport(file), 5, ChainBreak.Kind.MISSING);
    }

    @Test
    void two_swapped_entries_are_reported_at_the_first_position_out_of_place() throws IOException {
        Path file = exportAll();
        rewrite(file, lines -> {
            int i = lineOf(lines, 5);
            String five = lines.get(i);
            lines.set(i, lines.get(i + 1));
            lines.set(i + 1, five);
        });

        assertBreak(AuditFixtures.verification().verifyExport(file), 5, ChainBreak.Kind.MISSING);
    }

    @Test
    void a_cut_tail_is_reported_after_the_last_entry_left() throws IOException {
        Path file = exportAll();
        rewrite(file, lines -> {
            lines.remove(lineOf(lines, 10));
            lines.remove(lineOf(lines, 9));
        });

        AuditVerification.ExportResult r = AuditFixtures.verification().verifyExport(file);

        assertBreak(r, 9, ChainBreak.Kind.TRUNCATED);
        assertThat(r.chain().firstBreak().get().detail()).contains("export header").contains("entry 10");
    }

    @Test
    void a_forged_checkpoint_is_reported_at_its_position() throws IOException {
        Path file = exportAll();
        rewrite(file, lines -> {
            for (int i = 0; i < lines.size(); i++) {
                ObjectNode n = (ObjectNode) read(lines.get(i));
                if ("checkpoint".equals(n.path("kind").asText()) && n.path("seq").asLong() == 4) {
                    byte[] forged = AuditFixtures.auditSigner(Country.MX).sign(StatementType.AUDIT_CHECKPOINT,
                            CanonicalJson.bytes(new CheckpointContent(AuditFixtures.US_GATEWAY, "US", 4, n.path("hash").asText(),
                                    AuditFixtures.T0.plusSeconds(270), 0L, AuditHash.GENESIS, AuditFixtures.INTERVAL, null)));
                    n.put("statement", Base64.getEncoder().encodeToString(forged));
                    lines.set(i, new String(CanonicalJson.bytes(n), StandardCharsets.UTF_8));
                }
            }
        });

        AuditVerification.ExportResult r = AuditFixtures.verification().verifyExport(file);

        assertBreak(r, 4, ChainBreak.Kind.CHECKPOINT_INVALID);
    }

    @Test
    void a_line_that_is_not_json_is_reported_unreadable_where_it_stands() throws IOException {
        Path file = exportAll();
        rewrite(file, lines -> lines.set(lineOf(lines, 8), "{\"kind\":\"entry\",\"seq\":"));

        assertBreak(AuditFixtures.verification().verifyExport(file), 8, ChainBreak.Kind.UNREADABLE);
    }

    private static void assertBreak(AuditVerification.ExportResult r, long seq, ChainBreak.Kind kind) {
        assertThat(r.intact()).isFalse();
        assertThat(r.chain().firstBreak()).as("a break is found").isPresent();
        ChainBreak b = r.chain().firstBreak().get();
        assertThat(b.seq()).as(b.toString()).isEqualTo(seq);
        assertThat(b.kind()).as(b.toString()).isEqualTo(kind);
    }

    private interface Edit {
        void apply(List<String> lines);
    }

    private static void rewrite(Path file, Edit edit) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        edit.apply(lines);
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static int lineOf(List<String> lines, long seq) {
        for (int i = 0; i < lines.size(); i++) {
            var n = read(lines.get(i));
            if ("entry".equals(n.path("kind").asText()) && n.path("seq").asLong() == seq) {
                return i;
            }
        }
        throw new IllegalStateException("no entry " + seq);
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String line) {
        try {
            return CanonicalJson.mapper().readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
