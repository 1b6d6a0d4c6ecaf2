package org.puente.engine.audit;

import org.puente.audit.verify.ChainBreak;
import org.puente.audit.verify.ChainReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
 * {@code verify} still proves the whole chain across archives and live table. An archive ends
 * at a checkpoint, so that every entry in it is vouched for. Ten entries, one a minute from
 * T0 + 1 min, checkpoints at 4 and 10; retention one day. On PostgreSQL the rows go through
 * {@code puente_audit_retire}, the only deletion the database allows.
 */
class RetentionTest {
    private static final Duration RETENTION = Duration.ofDays(1);
    @TempDir
    Path archiveDir;

    private AuditRetention retention(TestDatabase db, AuditLog audit, Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new AuditRetention(db.tx(), new AuditStore(), new CheckpointStore(), new ArchiveStore(), audit,
                AuditFixtures.exporter(db.tx(), now), AuditFixtures.verification(), db.database().dialect(), RETENTION,
                archiveDir, AuditFixtures.US_GATEWAY, Country.US, clock);
    }

    /** The clock at which entries written before {@code T0 + minutes} are past retention. */
    private static Instant cutAt(double minutes) {
        return AuditFixtures.T0.plus(RETENTION).plusSeconds((long) (minutes * 60));
    }

    /** An auditor looking at the live log a minute after {@code now}. */
    private static ChainReport verify(Connection c, Path archives, Instant now) throws Exception {
        return AuditFixtures.verificationAt(now.plusSeconds(60)).verifyLive(c, archives);
    }

    @OnBothDatabases
    void old_entries_move_to_a_signed_archive_that_ends_at_a_checkpoint_and_the_chain_still_verifies_from_the_first_entry(
            TestDatabase db) throws Exception {
        AuditLog audit = AuditFixtures.tenEntries(db);

        // entries 1 to 6 are past retention; checkpoint 4 is the last that vouches for them
        Optional<ArchiveStore.Archive> archived = retention(db, audit, cutAt(6.5)).archiveDue();

        assertThat(archived).get().satisfies(a -> {
            assertThat(a.firstSeq()).isEqualTo(1);
            assertThat(a.lastSeq()).isEqualTo(4);
            assertThat(archiveDir.resolve(a.fileName())).isRegularFile();
            assertThat(archiveDir.resolve(a.fileName() + ".p7s")).isRegularFile();
        });
        try (Connection c = db.connection()) {
            AuditStore store = new AuditStore();
            assertThat(store.firstSeq(c)).contains(5L);
            assertThat(new CheckpointStore().all(c)).extracting(StoredCheckpoint::seq).containsExactly(10L);
            assertThat(store.entry(c, 11)).get().satisfies(e -> assertThat(e.event().event()).isEqualTo(AuditEventType.ARCHIVED));

            ChainReport full = verify(c, archiveDir, cutAt(6.5));
            assertThat(full.firstBreak()).as(String.valueOf(full.firstBreak())).isEmpty();
            assertThat(full.firstSeq()).isEqualTo(1);
            assertThat(full.lastSeq()).isEqualTo(11);
            assertThat(full.checkpoints()).isEqualTo(2);

            ChainReport liveOnly = verify(c, null, cutAt(6.5));
            assertThat(liveOnly.firstBreak()).as(String.valueOf(liveOnly.firstBreak())).isEmpty();
            assertThat(liveOnly.firstSeq()).isEqualTo(5);
            assertThat(liveOnly.notes()).anySatisfy(n -> assertThat(n).contains("entries 1 to 4 are archived"));
        }
    }

    @OnBothDatabases
    void a_second_archive_continues_the_first_and_nothing_is_archived_before_a_checkpoint_vouches_for_it(TestDatabase db)
            throws Exception {
        AuditLog audit = AuditFixtures.tenEntries(db);
        assertThat(retention(db, audit, cutAt(3.5)).archiveDue()).as("no checkpoint vouches for entries 1 to 3 alone").isEmpty();
        retention(db, audit, cutAt(6.5)).archiveDue().orElseThrow();
        assertThat(retention(db, audit, cutAt(6.5)).archiveDue()).as("nothing more is due").isEmpty();

        Optional<ArchiveStore.Archive> second = retention(db, audit, cutAt(10.5)).archiveDue();

        assertThat(second).get().satisfies(a -> {
            assertThat(a.firstSeq()).isEqualTo(5);
            assertThat(a.lastSeq()).isEqualTo(10);
        });
        try (Connection c = db.connection()) {
            ChainReport r = verify(c, archiveDir, cutAt(10.5));
            assertThat(r.firstBreak()).as(String.valueOf(r.firstBreak())).isEmpty();
            assertThat(r.entries()).isEqualTo(12);
        }
    }

    @OnBothDatabases
    void a_changed_or_missing_archive_file_is_reported_at_its_first_entry(TestDatabase db) throws Exception {
        AuditLog audit = AuditFixtures.tenEntries(db);
        ArchiveStore.Archive a = retention(db, audit, cutAt(6.5)).archiveDue().orElseThrow();
        Path file = archiveDir.resolve(a.fileName());
        Files.writeString(file, Files.readString(file).replace("\"MX/ANAM\"", "\"MX/SAT\""));

        try (Connection c = db.connection()) {
            assertBreak(verify(c, archiveDir, cutAt(6.5)), 1, ChainBreak.Kind.ARCHIVE_INVALID);
            Files.delete(file);
            assertBreak(verify(c, archiveDir, cutAt(6.5)), 1, ChainBreak.Kind.ARCHIVE_INVALID);
        }
    }

    @OnBothDatabases
    void retention_refuses_to_archive_a_range_that_does_not_verify_and_deletes_nothing(TestDatabase db) throws Exception {
        AuditLog audit = AuditFixtures.tenEntries(db);
        AuditFixtures.tamper(db, "UPDATE audit_event SET detail = 'rewritten' WHERE seq = 3");

        assertThatThrownBy(() -> retention(db, audit, cutAt(6.5)).archiveDue())
                .isInstanceOfSatisfying(PuenteException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.AUDIT_LOG_BROKEN);
                    assertThat(e.getMessage()).contains("entry 3: ALTERED");
                });

        try (Connection c = db.connection()) {
            assertThat(new AuditStore().firstSeq(c)).contains(1L);
            assertThat(new ArchiveStore().all(c)).isEmpty();
        }
        assertThat(archiveDir).isEmptyDirectory();
    }

    private static void assertBreak(ChainReport r, long seq, ChainBreak.Kind kind) {
        assertThat(r.firstBreak()).as("a break is found").isPresent();
        assertThat(r.firstBreak().get().seq()).as(r.firstBreak().get().toString()).isEqualTo(seq);
        assertThat(r.firstBreak().get().kind()).as(r.firstBreak().get().toString()).isEqualTo(kind);
    }
}
