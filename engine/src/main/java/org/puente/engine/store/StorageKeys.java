package org.puente.engine.store;

import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.KeyGenerator;
import org.puente.audit.store.Jdbc;
import org.puente.envelope.StorageKeyEnvelope;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage keys of a database (table {@code storage_key}): created on the first start, kept
 * only sealed to the gateway's own keys, opened at every start into the {@link PayloadCipher} the
 * outbox and the inbox encrypt their payloads with.
 *
 * <p>Implementation note: one key per database, so every instance sharing a PostgreSQL database
 * uses the same one. The first start generates 32 random bytes (the JDK's AES key generator),
 * seals them ({@link StorageKeyEnvelope}) and inserts them as key 1 with {@code ON CONFLICT DO
 * NOTHING}, then reads back whichever insert won: concurrent first starts agree. A start whose
 * keystore differs from the sealed key's recipients or signer (a key rotation) seals the key again
 * for the keystore as it is now, with a compare-and-set on the old sealed bytes. A database whose
 * payloads are encrypted but whose storage key is gone is refused rather than given a new key.
 */
public final class StorageKeys {
    /** The id of the first (so far the only) storage key of a database. */
    public static final int FIRST_KEY_ID = 1;
    private static final Logger LOG = LoggerFactory.getLogger(StorageKeys.class);
    private static final CryptoProviders PROVIDERS = CryptoProviders.RECOMMENDED;

    private StorageKeys() {
    }

    private record Row(int keyId, byte[] wrapped) {
    }

    /**
     * Opens the database's storage keys with the keystore, creating the first one if there is none.
     *
     * @throws PuenteException {@code configuration_invalid} naming {@code puente.pki.keystore} when
     *                         a stored key cannot be opened with this keystore, or when encrypted
     *                         payloads are there but their key is not
     */
    public static PayloadCipher open(Transactions tx, KeyMaterial keys, AlgorithmProfile profile, Clock clock) {
        List<Row> rows = tx.read(StorageKeys::rows);
        if (rows.isEmpty()) {
            if (tx.read(StorageKeys::anyEncryptedPayload)) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "table storage_key: payloads in this database"
                        + " are encrypted, but their storage key is missing; restore the table from a backup"
                        + " (a new key would not read them)");
            }
            create(tx, keys, profile, clock);
            rows = tx.read(StorageKeys::rows);
        }
        Map<Integer, byte[]> opened = new HashMap<>();
        try {
            for (Row row : rows) {
                StorageKeyEnvelope.Opened key = open(row, keys, profile);
                if (!key.current()) {
                    reseal(tx, row, key.key(), keys, profile, clock);
                }
                opened.put(row.keyId(), key.key());
            }
            int current = rows.stream().mapToInt(Row::keyId).max().orElseThrow();
            return new PayloadCipher(current, opened);
        } finally {
            opened.values().forEach(k -> Arrays.fill(k, (byte) 0));
        }
    }

    /**
     * A key reload: every storage key is opened with the keys in force and sealed again for the
     * new ones (their signing key, their encryption certificates), so that the next start with
     * the new keystore alone opens it.
     *
     * @throws PuenteException {@code configuration_invalid} if a stored key does not open with the keys in
     *                         force, or (sealed again meanwhile by another instance) not with the new ones
     */
    public static void rekey(Transactions tx, KeyMaterial before, KeyMaterial after, AlgorithmProfile profile,
                             Clock clock) {
        for (Row row : tx.read(StorageKeys::rows)) {
            byte[] key = open(row, before, profile).key();
            try {
                reseal(tx, row, key, after, profile, clock);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        // another instance may have sealed it again at the same moment, for its own keystore: the
        // reload stands only if the key as stored now opens with the new keys
        for (Row row : tx.read(StorageKeys::rows)) {
            Arrays.fill(open(row, after, profile).key(), (byte) 0);
        }
    }

    private static void create(Transactions tx, KeyMaterial keys, AlgorithmProfile profile, Clock clock) {
        byte[] key = newKey();
        byte[] sealed;
        try {
            sealed = StorageKeyEnvelope.seal(FIRST_KEY_ID, key, keys, profile, PROVIDERS, clock);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        Instant now = clock.instant();
        boolean inserted = tx.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO storage_key (key_id, wrapped, created_at)"
                    + " VALUES (?,?,?) ON CONFLICT (key_id) DO NOTHING")) {
                Jdbc.bind(ps, FIRST_KEY_ID, sealed, now);
                return ps.executeUpdate() == 1;
            }
        });
        if (inserted) {
            LOG.info("storage key {} created, sealed to {} encryption certificate(s) of the keystore", FIRST_KEY_ID,
                    keys.encryptionCertificates().size());
        }
    }

    private static StorageKeyEnvelope.Opened open(Row row, KeyMaterial keys, AlgorithmProfile profile) {
        try {
            return StorageKeyEnvelope.open(row.wrapped(), row.keyId(), keys, profile, PROVIDERS);
        } catch (PuenteException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "puente.pki.keystore: storage key "
                    + row.keyId() + " (table storage_key) cannot be opened with this keystore (" + e.errorCode().code()
                    + "); it needs an encryption key it was sealed to and the signing certificate that sealed it"
                    + " (docs/security.md, Payloads at rest)");
        }
    }

    /** After a key rotation: seal the key for the keystore as it is now, unless another instance just did. */
    private static void reseal(Transactions tx, Row row, byte[] key, KeyMaterial keys, AlgorithmProfile profile,
                               Clock clock) {
        byte[] sealed = StorageKeyEnvelope.seal(row.keyId(), key, keys, profile, PROVIDERS, clock);
        Instant now = clock.instant();
        boolean swapped = tx.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE storage_key SET wrapped = ?, rewrapped_at = ?"
                    + " WHERE key_id = ? AND wrapped = ?")) {
                Jdbc.bind(ps, sealed, now, row.keyId(), row.wrapped());
                return ps.executeUpdate() == 1;
            }
        });
        if (swapped) {
            LOG.info("storage key {} sealed again for the keystore's {} encryption certificate(s) (key rotation)",
                    row.keyId(), keys.encryptionCertificates().size());
        }
    }

    private static List<Row> rows(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT key_id, wrapped FROM storage_key ORDER BY key_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getInt(1), rs.getBytes(2)));
            }
        }
        return rows;
    }

    private static boolean anyEncryptedPayload(Connection c) throws SQLException {
        for (PayloadCipher.Column column : PayloadCipher.Column.values()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + column.table()
                    + " WHERE payload_key_id IS NOT NULL LIMIT 1");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] newKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance(PayloadCipher.KEY_ALGORITHM,
                    PROVIDERS.contentCipher());
            generator.init(PayloadCipher.KEY_BYTES * 8);
            return generator.generateKey().getEncoded();
        } catch (GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "generating the storage key failed");
        }
    }
}
