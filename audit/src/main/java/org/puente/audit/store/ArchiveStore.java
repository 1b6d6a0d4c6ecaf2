package org.puente.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The record of audit entries moved to signed archive files after the retention period. */
public final class ArchiveStore {
    /**
     * One archive file.
     *
     * @param firstSeq   its first chain position
     * @param lastSeq    its last chain position
     * @param lastHash   the hash of its last entry: the live chain continues from it
     * @param fileName   the file in the archive folder (its signature is {@code fileName + ".p7s"})
     * @param fileSha256 SHA-256 of the file, lower-case hex
     */
    public record Archive(long firstSeq, long lastSeq, String lastHash, String fileName, String fileSha256,
                          Instant archivedAt) {
    }

    public void insert(Connection c, Archive a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_archive (first_seq, last_seq, last_hash,"
                + " file_name, file_sha256, archived_at) VALUES (?,?,?,?,?,?)")) {
            Jdbc.bind(ps, a.firstSeq(), a.lastSeq(), a.lastHash(), a.fileName(), a.fileSha256(), a.archivedAt());
            ps.executeUpdate();
        }
    }

    /** Every archive, oldest first. */
    public List<Archive> all(Connection c) throws SQLException {
        List<Archive> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT first_seq, last_seq, last_hash, file_name, file_sha256,"
                + " archived_at FROM audit_archive ORDER BY first_seq");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Archive(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        Jdbc.instant(rs, "archived_at")));
            }
        }
        return out;
    }
}
