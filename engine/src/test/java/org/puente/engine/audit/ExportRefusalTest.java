package org.puente.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.CheckpointContent;
import org.puente.audit.store.ArchiveStore;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.CheckpointStore;
import org.puente.engine.ops.AuditQueries;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;
import org.puente.engine.testing.TestPayloads;
import org.puente.envelope.statement.StatementType;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The export API signs only what verifies: after each kind of tampering — an altered entry, a
 * deleted entry, a deleted checkpoint, a checkpoint forged with the gateway's message key, a row
 * outside the chain — an auditor's export is refused with {@code audit_log_broken} naming the
 * first break, nothing is left in the export folder, and the refusal itself is audited
 * ({@code EXPORT_MADE}, outcome REJECTED). Ten entries, checkpoints at 4 and 10.
 */
class ExportRefusalTest {
    private static final Instant FROM = AuditFixtures.T0;
    private static final Instant TO = AuditFixtures.T0.plusSeconds(3600);
    private static final String AUDITOR = "CN=US auditor,OU=Audit,O=Puente SAMPLE - NOT FOR PRODUCTION,C=US";
    @TempDir
    Path work;

    private AuditQueries queries(TestDatabase db, AuditLog audit) {
        Instant now = AuditFixtures.T0.plusSeconds(7200);
        return new AuditQueries(db.tx(), new AuditQueries.Sources(new AuditStore(), new CheckpointStore(), new ArchiveStore(),
                audit, AuditFixtures.exporter(db.tx(), now), TestPayloads.outbox(), TestPayloads.inbox()), work,
                AuditFixtures.US_GATEWAY, Clock.fixed(now, ZoneOffset.UTC));
    }

    @OnBothDatabases
    void an_untouched_log_is_exported_signed_and_the_export_audited(TestDatabase db) throws Exception {
        AuditQueries queries = queries(db, AuditFixtures.tenEntries(db));

        AuditQueries.Export export = queries.export(FROM, TO, AUDITOR);

        export.content().close();
        assertThat(export.header().lastSeq()).isEqualTo(10);
        assertThat(exportsMade(queries)).singleElement().satisfies(e -> assertThat(e.event().outcome()).isEqualTo("OK"));
    }

    @OnBothDatabases
    void an_altered_entry_makes_the_export_refuse(TestDatabase db) throws Exception {
        AuditQueries queries = queries(db, AuditFixtures.tenEntries(db));
        AuditFixtures.tamper(db, "UPDATE audit_event SET receiver = 'MX/SAT' WHERE seq = 6");

        assertRefused(queries, "entry 6: ALTERED");
    }

    @OnBothDatabases
    void a_deleted_entry_makes_the_export_refuse(TestDatabase db) throws Exception {
        AuditQueries queries = queries(db, AuditFixtures.tenEntries(db));
        AuditFixtures.tamper(db, "DELETE FROM audit_event WHERE seq = 5");

        assertRefused(queries, "entry 5: MISSING");
    }

    @OnBothDatabases
    void a_deleted_checkpoint_makes_the_export_refuse(TestDatabase db) throws Exception {
        AuditQueries queries = queries(db, AuditFixtures.tenEntries(db));
        AuditFixtures.tamper(db, "DELETE FROM audit_checkpoint WHERE seq = 4");

        assertRefused(queries, "entry 4: CHECKPOINT_MISSING");
    }

    @OnBothDatabases
    void a_checkpoint_forged_with_the_message_key_makes_the_export_refuse(TestDatabase db) throws Exception {
        AuditQueries queries = queries(db, AuditFixtures.tenEntries(db));
        try (Connection c = db.connection()) {
            AuditStore store = new AuditStore();
            String hash7 = store.entry(c, 7).orElseThrow().hash();
            byte[] forged = AuditFixtures.signer(Country.US).sign(StatementType.AUDIT_CHECKPOINT, CanonicalJson.bytes(
                    new CheckpointContent(AuditFixtures.US_GATEWAY, "US", 7, hash7, AuditFixtures.T0.plusSeconds(450), 4L,
                            store.entry(c, 4).orElseThrow().hash(), AuditFixtures.INTERVAL, null)));
            AuditFixtures.sql(c, "INSERT INTO audit_checkpoint (seq, hash, signed_at, statement) VALUES (?,?,?,?)", 7L, hash7,
                    AuditFixtures.T0.plusSeconds(450), forged);
        }

        assertRefused(queries, "entry 7: CHECKPOINT_INVALID");
    }

    @OnBothDatabases
    void a_row_outside_the_chain_makes_the_export_refuse(TestDatabase db) throws Exception {
        AuditQueries queries = queries(db, AuditFixtures.tenEntries(db));
        AuditFixtures.tamper(db, "INSERT INTO audit_event (at, country, event, actor, outcome) VALUES"
                + " ('2026-11-28T12:05:30.000000Z', 'US', 'ACKNOWLEDGED', 'CN=FORGED', 'OK')");

        assertRefused(queries, "have no chain position");
    }

    private void assertRefused(AuditQueries queries, String where) throws Exception {
        assertThatThrownBy(() -> queries.export(FROM, TO, AUDITOR)).isInstanceOfSatisfying(PuenteException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.AUDIT_LOG_BROKEN);
            assertThat(e.getMessage()).contains(where);
        });
        try (var left = java.nio.file.Files.list(work)) {
            assertThat(left).as("no export file or signature is left behind").isEmpty();
        }
        assertThat(exportsMade(queries)).singleElement().satisfies(e -> {
            AuditEvent ev = e.event();
            assertThat(ev.actor()).isEqualTo(AUDITOR);
            assertThat(ev.outcome()).isEqualTo(AuditEvent.REJECTED);
            assertThat(ev.errorCode()).isEqualTo("audit_log_broken");
            assertThat(ev.detail()).contains(where);
        });
    }

    private static List<AuditEntry> exportsMade(AuditQueries queries) {
        return queries.events(new AuditStore.Filter(null, null, null, null, null, null, AuditEventType.EXPORT_MADE, null), 0, 10);
    }
}
