package org.puente.envelope;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.puente.envelope.crypto.AlgorithmProfile;

/** SHA-256 fingerprints of envelopes and payloads (JDK provider: it is the fast one for digests). */
public final class Fingerprints {
    private Fingerprints() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance(AlgorithmProfile.FINGERPRINT_DIGEST);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    public static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    /**
     * A certificate's SHA-256 fingerprint in lower-case hexadecimal, as {@code openssl x509
     * -fingerprint -sha256} shows it without colons.
     */
    public static String certificate(X509Certificate cert) {
        try {
            return hex(sha256(cert.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate has an encoding", e);
        }
    }

    /** Lower-case hexadecimal, the form receipts and the audit log use. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
