package org.puente.engine.keys;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.puente.audit.store.Jdbc;
import org.puente.envelope.Fingerprints;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** Table {@code peer_key}: the encryption certificates the peer announced and this gateway adopted. */
final class PeerKeyRows {
    private PeerKeyRows() {
    }

    /** Records an adopted certificate with the peer's signed announcement; false if it was already there. */
    static boolean insert(Connection c, List<X509Certificate> chain, byte[] announcement, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO peer_key (fingerprint, chain_pem, announcement,"
                + " not_before, adopted_at) VALUES (?,?,?,?,?) ON CONFLICT (fingerprint) DO NOTHING")) {
            Jdbc.bind(ps, Fingerprints.certificate(chain.get(0)), pem(chain), announcement,
                    chain.get(0).getNotBefore().toInstant(), at);
            return ps.executeUpdate() == 1;
        }
    }

    /** The adopted certificate with the latest notBefore, with its CAs. */
    static Optional<List<X509Certificate>> newest(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT chain_pem FROM peer_key ORDER BY not_before DESC,"
                + " adopted_at DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(certificates(rs.getString(1).getBytes(StandardCharsets.US_ASCII)))
                    : Optional.empty();
        }
    }

    static String pem(List<X509Certificate> chain) {
        StringBuilder out = new StringBuilder();
        Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (X509Certificate cert : chain) {
            try {
                out.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(cert.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "certificate encoding");
            }
        }
        return out.toString();
    }

    /** Certificates from PEM or concatenated DER; {@code envelope_unreadable} if there are none or they do not parse. */
    static List<X509Certificate> certificates(byte[] encoded) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(encoded))
                    .forEach(cert -> out.add((X509Certificate) cert));
            if (out.isEmpty()) {
                throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "no certificate");
            }
            return out;
        } catch (CertificateException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "certificate chain");
        }
    }
}
