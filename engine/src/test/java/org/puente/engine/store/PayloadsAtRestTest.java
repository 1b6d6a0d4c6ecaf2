package org.puente.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.count;
import static org.puente.engine.testing.StoreFixtures.execute;
import static org.puente.engine.testing.StoreFixtures.header;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.puente.audit.store.Jdbc;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.CountryPki;
import org.puente.certs.IssuedCredential;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.PkiProfile;
import org.puente.certs.SampleNames;
import org.puente.certs.SamplePki;
import org.puente.engine.audit.AuditFixtures;
import org.puente.engine.inbound.InboxEntry;
import org.puente.engine.inbound.InboxRows;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.outbound.OutboxEntry;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;
import org.puente.envelope.StorageKeyEnvelope;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Payloads at rest, on both databases: the payload columns hold ciphertext bound to their row
 * under the storage key, which the database keeps only sealed to the gateway's own keys; every
 * instance sharing the database, and the same gateway after a key rotation, opens the same key;
 * rows from before encryption still read and are encrypted by the sweep.
 */
class PayloadsAtRestTest {
    private static final AlgorithmProfile PROFILE = AlgorithmProfile.DEFAULT;
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final String SECRET = "consignee ZEBRA-PELICAN-7731, 42 crates of saffron";
    /** A message id for round trips outside the tables. */
    private static final UUID ROW = UUID.fromString("0c0ffee0-0000-4000-8000-000000000001");
    private static SamplePki pki;

    private static synchronized CountryPki us() {
        if (pki == null) {
            pki = SamplePki.generate();
        }
        return pki.us();
    }

    private static KeyMaterial keys() {
        return AuditFixtures.keys(Country.US);
    }

    private static byte[] payload(String tag) {
        return ("{\"note\":\"" + SECRET + " " + tag + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @OnBothDatabases
    void a_payload_is_ciphertext_in_its_column_and_reads_back_exactly_as_submitted(TestDatabase db) throws Exception {
        PayloadCipher cipher = StorageKeys.open(db.tx(), keys(), PROFILE, CLOCK);
        OutboxStore outbox = new OutboxStore(cipher);
        InboxStore inbox = new InboxStore(cipher);
        EnvelopeHeader out = header(Priority.NORMAL, T0);
        EnvelopeHeader in = header(Priority.NORMAL, T0);
        byte[] outPayload = payload("out");
        byte[] inPayload = payload("in");

        db.tx().write(c -> {
            outbox.insert(c, outbound(out, outPayload), T0);
            return InboxRows.insert(inbox, c, inbound(in, inPayload), T0);
        });

        for (Object[] row : List.of(new Object[] {"outbox", out.messageId(), outPayload},
                new Object[] {"inbox", in.messageId(), inPayload})) {
            byte[] plain = (byte[]) row[2];
            byte[] raw = raw(db, (String) row[0], "payload", (UUID) row[1]);
            assertThat(raw).as("%s.payload", row[0]).isNotEqualTo(plain).hasSize(plain.length + PayloadCipher.OVERHEAD_BYTES);
            assertThat(raw[0]).isEqualTo(PayloadCipher.FORMAT_V1);
            assertThat(Arrays.copyOfRange(raw, 1, 5)).containsExactly(0, 0, 0, StorageKeys.FIRST_KEY_ID);
            assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain("ZEBRA-PELICAN");
            assertThat(countOf(db, "SELECT COUNT(*) FROM " + row[0]
                    + " WHERE message_id = ? AND payload_key_id = 1", row[1])).isEqualTo(1);
        }
        assertThat(db.tx().<Optional<byte[]>>read(c -> outbox.payload(c, out.messageId()))).get().isEqualTo(outPayload);
        InboxEntry entry = db.tx().read(c -> inbox.find(c, in.messageId())).orElseThrow();
        assertThat(entry.payload()).isEqualTo(inPayload);
        assertThat(entry.payloadSha256()).as("digests stay over the plaintext").isEqualTo(Digests.sha256(inPayload));
        assertThat(db.tx().<List<InboxEntry>>read(c -> inbox.mailbox(c, "ANAM", 0, 10, Long.MAX_VALUE)))
                .singleElement().satisfies(e -> assertThat(e.payload()).isEqualTo(inPayload));
    }

    @OnBothDatabases
    void a_ciphertext_copied_onto_another_messages_row_does_not_decrypt(TestDatabase db) throws Exception {
        PayloadCipher cipher = StorageKeys.open(db.tx(), keys(), PROFILE, CLOCK);
        OutboxStore outbox = new OutboxStore(cipher);
        InboxStore inbox = new InboxStore(cipher);
        EnvelopeHeader a = header(Priority.NORMAL, T0);
        EnvelopeHeader b = header(Priority.NORMAL, T0);
        EnvelopeHeader sent = header(Priority.NORMAL, T0);
        // a received message with the same id as a sent one: the column is bound too
        EnvelopeHeader sameIdReceived = header(sent.messageId(), sent.receiver(), sent.sender(), Priority.NORMAL, T0);
        db.tx().write(c -> {
            InboxRows.insert(inbox, c, inbound(a, payload("a")), T0);
            InboxRows.insert(inbox, c, inbound(b, payload("b")), T0);
            outbox.insert(c, outbound(sent, payload("sent")), T0);
            return InboxRows.insert(inbox, c, inbound(sameIdReceived, payload("received")), T0);
        });

        copyPayload(db, "inbox", a.messageId(), "inbox", b.messageId());
        copyPayload(db, "outbox", sent.messageId(), "inbox", sent.messageId());

        assertThatThrownBy(() -> db.tx().read(c -> inbox.find(c, b.messageId())))
                .isInstanceOfSatisfying(PuenteException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                    assertThat(e.getMessage()).contains("stored payload of message " + b.messageId() + " (inbox.payload)")
                            .contains("does not authenticate");
                });
        assertThatThrownBy(() -> db.tx().read(c -> inbox.find(c, sent.messageId())))
                .isInstanceOfSatisfying(PuenteException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                    assertThat(e.getMessage()).contains("does not authenticate");
                });
        assertThat(db.tx().<Optional<InboxEntry>>read(c -> inbox.find(c, a.messageId()))).get()
                .satisfies(e -> assertThat(e.payload()).isEqualTo(payload("a")));
        assertThat(db.tx().<Optional<byte[]>>read(c -> outbox.payload(c, sent.messageId()))).get().isEqualTo(payload("sent"));
    }

    @OnBothDatabases
    void the_storage_key_is_created_once_kept_only_sealed_and_opened_again_after_a_restart(TestDatabase db)
            throws Exception {
        PayloadCipher first = StorageKeys.open(db.tx(), keys(), PROFILE, CLOCK);
        byte[] sealedBefore = raw(db, "storage_key", "wrapped", null);
        byte[] stored = first.seal(PayloadCipher.Column.INBOX, ROW, payload("x"));

        db.reopen();
        PayloadCipher afterRestart = StorageKeys.open(db.tx(), keys(), PROFILE, CLOCK);

        assertThat(countOf(db, "SELECT COUNT(*) FROM storage_key")).isEqualTo(1);
        assertThat(afterRestart.open(PayloadCipher.Column.INBOX, ROW, stored)).isEqualTo(payload("x"));
        assertThat(raw(db, "storage_key", "wrapped", null)).as("not sealed again: the keystore did not change")
                .isEqualTo(sealedBefore);
        assertThat(StorageKeyEnvelope.open(sealedBefore, 1, keys(), PROFILE, CryptoProviders.RECOMMENDED).current())
                .isTrue();
    }

    @Test
    void two_gateway_instances_starting_together_on_one_postgresql_database_use_the_same_storage_key() throws Exception {
        try (TestDatabase db = new TestDatabase(TestDatabase.Kind.POSTGRESQL);
             Database otherPool = db.openAnother();
             Transactions one = new Transactions(db.database(), 512);
             Transactions two = new Transactions(otherPool, 512)) {
            // each instance loads its own copy of the keystore, as two JVMs do
            KeyMaterial keysOne = keys();
            KeyMaterial keysTwo = keys();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<PayloadCipher> a = pool.submit(() -> {
                    go.await();
                    return StorageKeys.open(one, keysOne, PROFILE, CLOCK);
                });
                Future<PayloadCipher> b = pool.submit(() -> {
                    go.await();
                    return StorageKeys.open(two, keysTwo, PROFILE, CLOCK);
                });
                go.countDown();
                PayloadCipher first = a.get(60, TimeUnit.SECONDS);
                PayloadCipher second = b.get(60, TimeUnit.SECONDS);

                assertThat(countOf(db, "SELECT COUNT(*) FROM storage_key")).isEqualTo(1);
                byte[] byFirst = first.seal(PayloadCipher.Column.OUTBOX, ROW, payload("1"));
                byte[] bySecond = second.seal(PayloadCipher.Column.OUTBOX, ROW, payload("2"));
                assertThat(second.open(PayloadCipher.Column.OUTBOX, ROW, byFirst)).isEqualTo(payload("1"));
                assertThat(first.open(PayloadCipher.Column.OUTBOX, ROW, bySecond)).isEqualTo(payload("2"));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @OnBothDatabases
    void after_a_key_rotation_the_storage_key_opens_and_is_sealed_again_for_the_keys_as_they_are(TestDatabase db)
            throws Exception {
        CountryPki us = us();
        IssuedCredential newer = newerEncryption(us);
        KeyMaterial before = KeyMaterial.builder().signing(us.gatewaySigning().key(), us.gatewaySigning().chain())
                .encryption(us.gatewayEncryption().key(), us.gatewayEncryption().chain()).build();
        KeyMaterial during = KeyMaterial.builder().signing(us.gatewaySigning().key(), us.gatewaySigning().chain())
                .encryption(us.gatewayEncryption().key(), us.gatewayEncryption().chain())
                .encryption(newer.key(), newer.chain()).build();
        KeyMaterial after = KeyMaterial.builder().signing(us.gatewaySigning().key(), us.gatewaySigning().chain())
                .encryption(newer.key(), newer.chain()).build();
        InboxStore inbox = new InboxStore(StorageKeys.open(db.tx(), before, PROFILE, CLOCK));
        EnvelopeHeader h = header(Priority.NORMAL, T0);
        db.tx().write(c -> InboxRows.insert(inbox, c, inbound(h, payload("kept")), T0));
        byte[] sealedBefore = raw(db, "storage_key", "wrapped", null);
        assertThatThrownBy(() -> StorageKeys.open(db.tx(), after, PROFILE, CLOCK))
                .as("the new key alone cannot open what was sealed to the old one only")
                .isInstanceOfSatisfying(PuenteException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                    assertThat(e.getMessage()).contains("puente.pki.keystore").contains("envelope_not_for_us");
                });

        InboxStore rotating = new InboxStore(StorageKeys.open(db.tx(), during, PROFILE, CLOCK));

        assertThat(readPayload(db, rotating, h.messageId())).isEqualTo(payload("kept"));
        byte[] resealed = raw(db, "storage_key", "wrapped", null);
        assertThat(resealed).isNotEqualTo(sealedBefore);
        assertThat(countOf(db, "SELECT COUNT(*) FROM storage_key WHERE rewrapped_at IS NOT NULL"))
                .isEqualTo(1);
        // once sealed for both, the old key may go
        InboxStore rotated = new InboxStore(StorageKeys.open(db.tx(), after, PROFILE, CLOCK));
        assertThat(readPayload(db, rotated, h.messageId())).isEqualTo(payload("kept"));
        assertThat(readPayload(db, new InboxStore(StorageKeys.open(db.tx(), after, PROFILE, CLOCK)), h.messageId()))
                .isEqualTo(payload("kept"));
    }

    @OnBothDatabases
    void a_storage_key_planted_by_a_database_writer_is_refused_at_start(TestDatabase db) throws Exception {
        CountryPki us = us();
        KeyMaterial gateway = KeyMaterial.builder().signing(us.gatewaySigning().key(), us.gatewaySigning().chain())
                .encryption(us.gatewayEncryption().key(), us.gatewayEncryption().chain()).build();
        // encrypting to the gateway's public certificate needs no secret; signing as the gateway does
        KeyMaterial forger = KeyMaterial.builder().signing(us.agency("CBP").key(), us.agency("CBP").chain())
                .encryption(us.gatewayEncryption().key(), us.gatewayEncryption().chain()).build();
        byte[] known = new byte[PayloadCipher.KEY_BYTES];
        byte[] planted = StorageKeyEnvelope.seal(1, known, forger, PROFILE, CryptoProviders.RECOMMENDED, CLOCK);
        try (Connection c = db.connection()) {
            execute(c, "INSERT INTO storage_key (key_id, wrapped, created_at) VALUES (?,?,?)", 1, planted, T0);
        }

        assertThatThrownBy(() -> StorageKeys.open(db.tx(), gateway, PROFILE, CLOCK))
                .isInstanceOfSatisfying(PuenteException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                    assertThat(e.getMessage()).contains("puente.pki.keystore: storage key 1")
                            .contains("(" + ErrorCode.UNKNOWN_SIGNER.code() + ")");
                });
    }

    @OnBothDatabases
    void encrypted_payloads_whose_storage_key_is_gone_are_refused_rather_than_given_a_new_key(TestDatabase db)
            throws Exception {
        InboxStore inbox = new InboxStore(StorageKeys.open(db.tx(), keys(), PROFILE, CLOCK));
        db.tx().write(c -> InboxRows.insert(inbox, c, inbound(header(Priority.NORMAL, T0), payload("lost")), T0));
        try (Connection c = db.connection()) {
            execute(c, "DELETE FROM storage_key");
        }

        assertThatThrownBy(() -> StorageKeys.open(db.tx(), keys(), PROFILE, CLOCK))
                .isInstanceOfSatisfying(PuenteException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                    assertThat(e.getMessage()).contains("table storage_key").contains("storage key is missing");
                });
        assertThat(countOf(db, "SELECT COUNT(*) FROM storage_key")).isZero();
    }

    @OnBothDatabases
    void a_payload_stored_in_clear_before_encryption_still_reads_and_is_encrypted_in_place(TestDatabase db)
            throws Exception {
        PayloadCipher cipher = StorageKeys.open(db.tx(), keys(), PROFILE, CLOCK);
        OutboxStore outbox = new OutboxStore(cipher);
        InboxStore inbox = new InboxStore(cipher);
        EnvelopeHeader out = header(Priority.NORMAL, T0);
        EnvelopeHeader in = header(Priority.NORMAL, T0);
        db.tx().write(c -> {
            outbox.insert(c, outbound(out, payload("old out")), T0);
            return InboxRows.insert(inbox, c, inbound(in, payload("old in")), T0);
        });
        // as the rows were before the migration: the payload as submitted, no key id
        try (Connection c = db.connection()) {
            execute(c, "UPDATE outbox SET payload = ?, payload_key_id = NULL WHERE message_id = ?", payload("old out"),
                    out.messageId());
            execute(c, "UPDATE inbox SET payload = ?, payload_key_id = NULL WHERE message_id = ?", payload("old in"),
                    in.messageId());
        }
        assertThat(db.tx().<Optional<byte[]>>read(c -> outbox.payload(c, out.messageId()))).get().isEqualTo(payload("old out"));
        assertThat(readPayload(db, inbox, in.messageId())).isEqualTo(payload("old in"));

        int encrypted = db.tx().write(c -> outbox.encryptClearPayloads(c, 10) + inbox.encryptClearPayloads(c, 10));

        assertThat(encrypted).isEqualTo(2);
        assertThat(new String(raw(db, "outbox", "payload", out.messageId()), StandardCharsets.ISO_8859_1))
                .doesNotContain("ZEBRA-PELICAN");
        assertThat(new String(raw(db, "inbox", "payload", in.messageId()), StandardCharsets.ISO_8859_1))
                .doesNotContain("ZEBRA-PELICAN");
        assertThat(db.tx().<Optional<byte[]>>read(c -> outbox.payload(c, out.messageId()))).get().isEqualTo(payload("old out"));
        assertThat(readPayload(db, inbox, in.messageId())).isEqualTo(payload("old in"));
        assertThat(db.tx().<Integer>write(c -> outbox.encryptClearPayloads(c, 10) + inbox.encryptClearPayloads(c, 10))).isZero();
    }

    private static OutboxStore.NewMessage outbound(EnvelopeHeader h, byte[] payload) {
        return new OutboxStore.NewMessage(h, h.sender().agency(), null, Digests.sha256(payload), payload,
                Digests.sha256(payload), ("envelope " + h.messageId()).getBytes(StandardCharsets.UTF_8),
                Digests.sha256(("envelope " + h.messageId()).getBytes(StandardCharsets.UTF_8)));
    }

    private static InboxStore.NewMessage inbound(EnvelopeHeader h, byte[] payload) {
        return new InboxStore.NewMessage(h, payload, Digests.sha256(payload),
                Digests.sha256(("envelope " + h.messageId()).getBytes(StandardCharsets.UTF_8)),
                ("receipt " + h.messageId()).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] readPayload(TestDatabase db, InboxStore inbox, UUID id) {
        return db.tx().read(c -> inbox.find(c, id)).orElseThrow().payload();
    }

    /** A column's bytes exactly as the database holds them (id null: the only row). */
    static byte[] raw(TestDatabase db, String table, String column, UUID id) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM " + table
                     + (id == null ? "" : " WHERE message_id = ?"))) {
            if (id != null) {
                Jdbc.bind(ps, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static void copyPayload(TestDatabase db, String fromTable, UUID from, String toTable, UUID to)
            throws SQLException {
        byte[] bytes = raw(db, fromTable, "payload", from);
        try (Connection c = db.connection()) {
            assertThat(execute(c, "UPDATE " + toTable + " SET payload = ? WHERE message_id = ?", bytes, to)).isEqualTo(1);
        }
    }

    private static IssuedCredential newerEncryption(CountryPki c) {
        Instant now = Instant.now();
        return new CertificateIssuer().issue(c.issuingCa(), CertificateSpec.builder(
                        SampleNames.gatewayEncryption(c.country()), PkiProfile.EC_P256.generateKeyPair())
                .validity(now.minus(Duration.ofMinutes(10)), now.plus(Duration.ofDays(400)))
                .keyUsage(KeyUsageBit.KEY_AGREEMENT).extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
    }

    private static long countOf(TestDatabase db, String sql, Object... params) {
        long n = db.tx().read(c -> count(c, sql, params));
        return n;
    }
}
