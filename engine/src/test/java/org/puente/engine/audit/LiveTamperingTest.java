package org.puente.engine.audit;

import org.puente.audit.CheckpointContent;
import org.puente.audit.verify.ChainBreak;
import org.puente.audit.verify.ChainReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.audit.AuditFixtures.sql;
import static org.puente.engine.audit.AuditFixtures.tamper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.puente.envelope.statement.StatementType;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditHash;
import org.puente.audit.store.AuditStore;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;

/**
 * {@code verify} on a live database finds every kind of tampering and names the exact position:
 * a changed field, a deleted entry, two swapped entries, a cut tail, a forged checkpoint (by
 * another country's key, or by the gateway's own message key instead of its audit key), deleted
 * checkpoints (one, the newest, all of them) and a checkpoint that came too late. The log has ten
 * entries, one a minute from T0 + 1 min, with signed checkpoints at entries 4 and 10
 * ({@link AuditFixtures#tenEntries}); the tampering goes past the database's own guards
 * ({@link AuditFixtures#tamper}), as only the file's or the schema's owner can.
 */
class LiveTamperingTest {

    private static void tenEntries(TestDatabase db) {
        AuditFixtures.tenEntries(db);
    }

    private static ChainReport verify(TestDatabase db) throws SQLException {
        try (Connection c = db.connection()) {
            return AuditFixtures.verification().verifyLive(c, null);
        }
    }

    @OnBothDatabases
    void an_untouched_log_verifies_with_both_checkpoints(TestDatabase db) throws Exception {
        tenEntries(db);

        ChainReport r = verify(db);

        assertThat(r.firstBreak()).isEmpty();
        assertThat(r.firstSeq()).isEqualTo(1);
        assertThat(r.lastSeq()).isEqualTo(10);
        assertThat(r.entries()).isEqualTo(10);
        assertThat(r.checkpoints()).isEqualTo(2);
        assertThat(r.latestCheckpointSeq()).isEqualTo(10);
    }

    @OnBothDatabases
    void a_checkpoint_signed_with_the_gateways_message_key_instead_of_its_audit_key_is_refused(TestDatabase db)
            throws Exception {
        tenEntries(db);
        try (Connection c = db.connection()) {
            String hash7 = hashOf(c, 7);
            // everything right but the key: the gateway's own message key, valid, under the US root, with its name
            byte[] forged = AuditFixtures.signer(Country.US).sign(StatementType.AUDIT_CHECKPOINT, CanonicalJson.bytes(
                    new CheckpointContent(AuditFixtures.US_GATEWAY, "US", 7, hash7, AuditFixtures.T0.plusSeconds(450), 4L,
                            hashOf(c, 4), AuditFixtures.INTERVAL, null)));
            sql(c, "INSERT INTO audit_checkpoint (seq, hash, signed_at, statement) VALUES (?,?,?,?)", 7L, hash7,
                    AuditFixtures.T0.plusSeconds(450), forged);
        }

        ChainReport r = verify(db);

        assertBreak(r, 7, ChainBreak.Kind.CHECKPOINT_INVALID);
        assertThat(r.firstBreak().get().detail()).contains("wrong_key_usage");
    }

    @OnBothDatabases
    void a_deleted_checkpoint_is_reported_missing_by_the_checkpoint_that_names_it(TestDatabase db) throws Exception {
        tenEntries(db);
        tamper(db, "DELETE FROM audit_checkpoint WHERE seq = 4");

        ChainReport r = verify(db);

        assertBreak(r, 4, ChainBreak.Kind.CHECKPOINT_MISSING);
        assertThat(r.firstBreak().get().detail()).contains("checkpoint for entry 10").contains("deleted");
    }

    @OnBothDatabases
    void deleting_every_checkpoint_does_not_restart_verification_from_genesis_unnoticed(TestDatabase db) throws Exception {
        tenEntries(db);
        tamper(db, "DELETE FROM audit_checkpoint");

        ChainReport r = verify(db);

        assertBreak(r, 1, ChainBreak.Kind.CHECKPOINT_GAP);
        assertThat(r.checkpoints()).isZero();
        assertThat(r.firstBreak().get().detail()).contains("entries 1 to 10").contains("no checkpoint");
    }

    @OnBothDatabases
    void deleting_the_newest_checkpoint_leaves_its_entries_waiting_and_they_are_reported_once_overdue(TestDatabase db)
            throws Exception {
        tenEntries(db);
        tamper(db, "DELETE FROM audit_checkpoint WHERE seq = 10");

        ChainReport soon;
        ChainReport later;
        try (Connection c = db.connection()) {
            // within three intervals of entry 5 the gap cannot be told from a checkpoint not made yet ...
            soon = AuditFixtures.verificationAt(AuditFixtures.T0.plusSeconds(19 * 60)).verifyLive(c, null);
            // ... after it, it can
            later = AuditFixtures.verificationAt(AuditFixtures.T0.plusSeconds(21 * 60)).verifyLive(c, null);
        }

        assertThat(soon.firstBreak()).as(String.valueOf(soon.firstBreak())).isEmpty();
        assertBreak(later, 5, ChainBreak.Kind.CHECKPOINT_GAP);
        assertThat(later.firstBreak().get().detail()).contains("entries 5 to 10").contains("after entry 4");
    }

    @OnBothDatabases
    void entries_a_checkpoint_vouched_for_only_long_after_they_were_written_are_reported_as_a_gap(TestDatabase db)
            throws Exception {
        AuditLog audit = AuditFixtures.registered(db.tx(), db.database().dialect());
        AuditFixtures.write(db.tx(), audit, 1, 4);
        // entry 1 at T0 + 1 min waits until T0 + 17 min: more than three five-minute intervals
        AuditFixtures.checkpoints(db.tx(), AuditFixtures.T0.plusSeconds(17 * 60)).checkpoint().orElseThrow();

        ChainReport r = verify(db);

        assertBreak(r, 1, ChainBreak.Kind.CHECKPOINT_GAP);
        assertThat(r.firstBreak().get().detail()).contains("entries 1 to 4").contains("waited PT16M")
                .contains("PT15M");
    }

    @OnBothDatabases
    void a_changed_field_is_reported_at_its_entry(TestDatabase db) throws Exception {
        tenEntries(db);
        tamper(db, "UPDATE audit_event SET receiver = 'MX/SAT' WHERE seq = 6");

        assertBreak(verify(db), 6, ChainBreak.Kind.ALTERED);
    }

    @OnBothDatabases
    void a_changed_time_is_reported_at_its_entry(TestDatabase db) throws Exception {
        tenEntries(db);
        tamper(db, "UPDATE audit_event SET at = '2026-11-28T11:00:00.000000Z' WHERE seq = 3");

        assertBreak(verify(db), 3, ChainBreak.Kind.ALTERED);
    }

    @OnBothDatabases
    void an_entry_changed_together_with_its_hash_is_caught_by_the_next_link(TestDatabase db) throws Exception {
        tenEntries(db);
        try (Connection c = db.connection()) {
            // someone who knows the encoding rewrites entry 7 and its hash consistently
            AuditEntry seven = new AuditStore().entry(c, 7).orElseThrow();
            AuditEvent e = seven.event();
            AuditEvent.Subject s = e.subject();
            AuditEvent changed = e.withSubject(new AuditEvent.Subject(s.messageId(), s.correlationId(), s.messageType(),
                    s.sender(), "MX/SAT", s.legalBasis(), s.purpose(), s.sensitivity()));
            tamper(db, "UPDATE audit_event SET receiver = 'MX/SAT', hash = '"
                    + AuditHash.hash(seven.prevHash(), 7, Country.US, changed) + "' WHERE seq = 7");
        }

        assertBreak(verify(db), 8, ChainBreak.Kind.LINK_BROKEN);
    }

    @OnBothDatabases
    void a_deleted_entry_is_reported_missing_at_its_position(TestDatabase db) throws Exception {
        tenEntries(db);
        tamper(db, "DELETE FROM audit_event WHERE seq = 5");

        assertBreak(verify(db), 5, ChainBreak.Kind.MISSING);
    }

    @OnBothDatabases
    void two_swapped_entries_break_the_link_at_the_first_of_them(TestDatabase db) throws Exception {
        tenEntries(db);
        tamper(db, "UPDATE audit_event SET seq = -1 WHERE seq = 5", "UPDATE audit_event SET seq = 5 WHERE seq = 6",
                "UPDATE audit_event SET seq = 6 WHERE seq = -1");

        assertBreak(verify(db), 5, ChainBreak.Kind.LINK_BROKEN);
    }

    @OnBothDatabases
    void a_cut_tail_is_reported_after_the_last_entry_left(TestDatabase db) throws Exception {
        tenEntries(db);
        tamper(db, "DELETE FROM audit_event WHERE seq > 7");

        ChainReport r = verify(db);

        assertBreak(r, 8, ChainBreak.Kind.TRUNCATED);
        assertThat(r.firstBreak().get().detail()).contains("chain head").contains("10");
    }

    @OnBothDatabases
    void a_cut_tail_with_the_head_moved_back_is_caught_by_the_checkpoint_beyond_it(TestDatabase db) throws Exception {
        tenEntries(db);
        String hash7;
        try (Connection c = db.connection()) {
            hash7 = hashOf(c, 7);
        }
        tamper(db, "DELETE FROM audit_event WHERE seq > 7", "UPDATE audit_chain_head SET seq = 7, hash = '" + hash7 + "'");

        ChainReport r = verify(db);

        assertBreak(r, 8, ChainBreak.Kind.TRUNCATED);
        assertThat(r.firstBreak().get().detail()).contains("checkpoint").contains("entry 10");
    }

    @OnBothDatabases
    void a_checkpoint_signed_by_another_key_is_reported_as_forged(TestDatabase db) throws Exception {
        tenEntries(db);
        try (Connection c = db.connection()) {
            String hash7 = hashOf(c, 7);
            // the Mexican gateway's key is valid, but not under the US root nor with the US gateway's name
            byte[] forged = AuditFixtures.auditSigner(Country.MX).sign(StatementType.AUDIT_CHECKPOINT, CanonicalJson.bytes(
                    new CheckpointContent(AuditFixtures.US_GATEWAY, "US", 7, hash7, AuditFixtures.T0.plusSeconds(450), 4L,
                            hashOf(c, 4), AuditFixtures.INTERVAL, null)));
            sql(c, "INSERT INTO audit_checkpoint (seq, hash, signed_at, statement) VALUES (?,?,?,?)", 7L, hash7,
                    AuditFixtures.T0.plusSeconds(450), forged);
        }

        ChainReport r = verify(db);

        assertBreak(r, 7, ChainBreak.Kind.CHECKPOINT_INVALID);
        assertThat(r.firstBreak().get().detail()).contains("untrusted_chain");
    }

    @OnBothDatabases
    void a_checkpoint_whose_hash_was_rewritten_no_longer_matches_its_signature(TestDatabase db) throws Exception {
        tenEntries(db);
        tamper(db, "UPDATE audit_checkpoint SET hash = '" + "00".repeat(32) + "' WHERE seq = 4");

        assertBreak(verify(db), 4, ChainBreak.Kind.CHECKPOINT_INVALID);
    }

    @OnBothDatabases
    void a_checkpoint_with_a_damaged_signature_is_reported_at_its_position(TestDatabase db) throws Exception {
        tenEntries(db);
        byte[] cms;
        try (Connection c = db.connection()) {
            cms = statementOf(c, 4);
        }
        cms[cms.length - 10] ^= 0x01;
        tamper(db, "UPDATE audit_checkpoint SET statement = " + blob(db, cms) + " WHERE seq = 4");

        assertBreak(verify(db), 4, ChainBreak.Kind.CHECKPOINT_INVALID);
    }

    @OnBothDatabases
    void an_unknown_event_name_is_reported_as_an_unreadable_entry(TestDatabase db) throws Exception {
        tenEntries(db);
        tamper(db, "UPDATE audit_event SET event = 'NOTHING' WHERE seq = 9");

        assertBreak(verify(db), 9, ChainBreak.Kind.UNREADABLE);
    }

    private static void assertBreak(ChainReport r, long seq, ChainBreak.Kind kind) {
        assertThat(r.firstBreak()).as("a break is found").isPresent();
        assertThat(r.firstBreak().get().seq()).as(r.firstBreak().get().toString()).isEqualTo(seq);
        assertThat(r.firstBreak().get().kind()).as(r.firstBreak().get().toString()).isEqualTo(kind);
    }

    /** A byte string as an SQL literal of the database. */
    private static String blob(TestDatabase db, byte[] bytes) {
        String hex = java.util.HexFormat.of().formatHex(bytes);
        return db.kind() == TestDatabase.Kind.SQLITE ? "X'" + hex + "'" : "'\\x" + hex + "'::bytea";
    }

    private static String hashOf(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM audit_event WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static byte[] statementOf(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT statement FROM audit_checkpoint WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }
}
