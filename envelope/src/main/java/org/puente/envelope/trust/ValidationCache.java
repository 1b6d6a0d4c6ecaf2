package org.puente.envelope.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Successful PKIX validations per signer certificate (SHA-256 fingerprint), each kept until the
 * earliest of: the cache TTL, the end of validity of any certificate in the path, the next update
 * of any CRL. Bounded: when full it is cleared (the peer has one or two signing certificates, so
 * this only happens under a flood of distinct certificates).
 */
final class ValidationCache {
    private record Cached(ValidatedSigner signer, Instant until) {
    }

    private final ConcurrentHashMap<String, Cached> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final int maxSize;

    ValidationCache(Duration ttl, int maxSize) {
        this.ttl = ttl;
        this.maxSize = maxSize;
    }

    ValidatedSigner get(X509Certificate cert, Instant now) {
        if (maxSize <= 0) {
            return null;
        }
        Cached c = entries.get(fingerprint(cert));
        if (c == null || !now.isBefore(c.until()) || !c.signer().certificate().equals(cert)) {
            return null;
        }
        return c.signer();
    }

    void put(ValidatedSigner signer, Instant now, List<X509CRL> crls) {
        if (maxSize <= 0) {
            return;
        }
        Instant until = now.plus(ttl);
        for (X509Certificate c : signer.path()) {
            until = earlier(until, c.getNotAfter().toInstant());
        }
        for (X509CRL crl : crls) {
            if (crl.getNextUpdate() != null) {
                until = earlier(until, crl.getNextUpdate().toInstant());
            }
        }
        if (entries.size() >= maxSize) {
            entries.clear();
        }
        entries.put(fingerprint(signer.certificate()), new Cached(signer, until));
    }

    void clear() {
        entries.clear();
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("SHA-256 of a certificate", e);
        }
    }
}
