package org.puente.engine.audit;

import org.puente.audit.verify.ChainBreak;
import org.puente.audit.verify.ChainReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.audit.store.ArchiveStore;
import org.puente.audit.AuditEventType;
import org.puente.audit.store.AuditStore;
import org.puente.audit.StoredCheckpoint;
import org.puente.audit.store.CheckpointStore;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;

/**
 * Entries past the retention period move to signed archive files and out of the live table, and
 * {@code verify} still proves the whole chain across archives and live table. Ten entries, one a
 * minute from T0 + 1 min, checkpoints at 4 and 10; retention one day.
 */
class RetentionTest {
    private static final Duration RETENTION = Duration.ofDays(1);
    @TempDir
    Path archiveDir;

    private AuditRetention retention(TestDatabase db, AuditLog audit, Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        AuditExporter exporter = new AuditExporter(db.tx(), new AuditStore(), new CheckpointStore(),
                AuditFixtures.signer(Country.US), AuditFixtures.US_GATEWAY, Country.US, clock);
        return new AuditRetention(db.tx(), new AuditStore(), new CheckpointStore(), new ArchiveStore(), audit, exporter,
                AuditFixtures.verification(), RETENTION, archiveDir, AuditFixtures.US_GATEWAY, Country.US, clock);
    }

    /** The clock at which entries written before {@code T0 + minutes} are past retention. */
    private static Instant cutAt(double minutes) {
        return AuditFixtures.T0.plus(RETENTION).plusSeconds((long) (minutes * 60));
    }

    private static AuditLog tenEntries(TestDatabase db) {
        AuditLog audit = AuditFixtures.registered(db.tx(), db.database().dialect());
        AuditFixtures.write(db.tx(), audit, 1, 4);
        AuditFixtures.checkpoints(db.tx()).checkpoint();
        AuditFixtures.write(db.tx(), audit, 5, 6);
        AuditFixtures.checkpoints(db.tx()).checkpoint();
        return audit;
    }

    @OnBothDatabases
    void old_entries_move_to_a_signed_archive_and_the_chain_still_verifies_from_the_first_entry(TestDatabase db)
            throws Exception {
        AuditLog audit = tenEntries(db);

        Optional<ArchiveStore.Archive> archived = retention(db, audit, cutAt(6.5)).archiveDue();

        assertThat(archived).get().satisfies(a -> {
            assertThat(a.firstSeq()).isEqualTo(1);
            assertThat(a.lastSeq()).isEqualTo(6);
            assertThat(archiveDir.resolve(a.fileName())).isRegularFile();
            assertThat(archiveDir.resolve(a.fileName() + ".p7s")).isRegularFile();
        });
        try (Connection c = db.connection()) {
            AuditStore store = new AuditStore();
            assertThat(store.firstSeq(c)).contains(7L);
            assertThat(new CheckpointStore().all(c)).extracting(StoredCheckpoint::seq).containsExactly(10L);
            assertThat(store.entry(c, 11)).get().satisfies(e -> assertThat(e.event().event()).isEqualTo(AuditEventType.ARCHIVED));

            ChainReport full = AuditFixtures.verification().verifyLive(c, archiveDir);
            assertThat(full.firstBreak()).isEmpty();
            assertThat(full.firstSeq()).isEqualTo(1);
            assertThat(full.lastSeq()).isEqualTo(11);
            assertThat(full.checkpoints()).isEqualTo(2);

            ChainReport liveOnly = AuditFixtures.verification().verifyLive(c, null);
            assertThat(liveOnly.firstBreak()).isEmpty();
            assertThat(liveOnly.firstSeq()).isEqualTo(7);
            assertThat(liveOnly.notes()).anySatisfy(n -> assertThat(n).contains("entries 1 to 6 are archived"));
        }
    }

    @OnBothDatabases
    void a_second_archive_continues_the_first_and_nothing_is_archived_before_it_is_due(TestDatabase db) throws Exception {
        AuditLog audit = tenEntries(db);
        retention(db, audit, cutAt(3.5)).archiveDue();
        assertThat(retention(db, audit, cutAt(3.5)).archiveDue()).isEmpty();

        Optional<ArchiveStore.Archive> second = retention(db, audit, cutAt(8.5)).archiveDue();

        assertThat(second).get().satisfies(a -> assertThat(a.firstSeq()).isEqualTo(4));
        try (Connection c = db.connection()) {
            ChainReport r = AuditFixtures.verification().verifyLive(c, archiveDir);
            assertThat(r.firstBreak()).isEmpty();
            assertThat(r.entries()).isEqualTo(12);
        }
    }

    @OnBothDatabases
    void a_changed_or_missing_archive_file_is_reported_at_its_first_entry(TestDatabase db) throws Exception {
        AuditLog audit = tenEntries(db);
        ArchiveStore.Archive a = retention(db, audit, cutAt(6.5)).archiveDue().orElseThrow();
        Path file = archiveDir.resolve(a.fileName());
        Files.writeString(file, Files.readString(file).replace("\"MX/ANAM\"", "\"MX/SAT\""));

        try (Connection c = db.connection()) {
            assertBreak(AuditFixtures.verification().verifyLive(c, archiveDir), 1, ChainBreak.Kind.ARCHIVE_INVALID);
            Files.delete(file);
            assertBreak(AuditFixtures.verification().verifyLive(c, archiveDir), 1, ChainBreak.Kind.ARCHIVE_INVALID);
        }
    }

    @OnBothDatabases
    void retention_refuses_to_archive_a_range_that_does_not_verify_and_deletes_nothing(TestDatabase db) throws Exception {
        AuditLog audit = tenEntries(db);
        try (Connection c = db.connection()) {
            AuditFixtures.sql(c, "UPDATE audit_event SET detail = 'rewritten' WHERE seq = 3");
        }

        assertThatThrownBy(() -> retention(db, audit, cutAt(6.5)).archiveDue())
                .isInstanceOfSatisfying(PuenteException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR));

        try (Connection c = db.connection()) {
            assertThat(new AuditStore().firstSeq(c)).contains(1L);
            assertThat(new ArchiveStore().all(c)).isEmpty();
        }
    }

    private static void assertBreak(ChainReport r, long seq, ChainBreak.Kind kind) throws SQLException {
        assertThat(r.firstBreak()).as("a break is found").isPresent();
        assertThat(r.firstBreak().get().seq()).as(r.firstBreak().get().toString()).isEqualTo(seq);
        assertThat(r.firstBreak().get().kind()).as(r.firstBreak().get().toString()).isEqualTo(kind);
    }
}
