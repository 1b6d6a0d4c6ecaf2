package org.puente.engine.security;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Every certification authority whose certificates this gateway meets: both countries' roots (as
 * configured) and the CAs below them that it can see (the CA certificates of its own keystore
 * chains, of the peer's encryption certificate file, and of {@code puente.pki.trust.intermediates}).
 * Each one must publish a CRL the gateway holds, and each CRL must verify with one of them.
 *
 * <p>Implementation note: an intermediate is kept only when its signature verifies up to a
 * configured root, so a CA certificate slipped into a chain file cannot vouch for a CRL.
 */
public final class CertificateAuthorities {
    private final List<X509Certificate> roots;
    private final List<X509Certificate> all;

    private CertificateAuthorities(List<X509Certificate> roots, List<X509Certificate> all) {
        this.roots = roots;
        this.all = all;
    }

    /**
     * @param roots      both countries' configured roots
     * @param candidates certificates that may include CA certificates below those roots (leaves
     *                   and unknown roots are ignored)
     */
    public static CertificateAuthorities of(Collection<X509Certificate> roots, Collection<X509Certificate> candidates) {
        List<X509Certificate> known = new ArrayList<>(roots.stream().distinct().toList());
        boolean grew = true;
        while (grew) {
            grew = false;
            for (X509Certificate c : candidates) {
                if (c.getBasicConstraints() < 0 || known.contains(c) || isSelfIssued(c)) {
                    continue;
                }
                if (issuerOf(c, known).isPresent()) {
                    known.add(c);
                    grew = true;
                }
            }
        }
        return new CertificateAuthorities(List.copyOf(roots), List.copyOf(known));
    }

    /** Roots first, then the CAs below them, each once. */
    public List<X509Certificate> all() {
        return all;
    }

    public List<X509Certificate> roots() {
        return roots;
    }

    /** The CA among these whose name is {@code issuer} and whose key verifies {@code signed}'s signature. */
    static Optional<X509Certificate> issuerOf(X509Certificate signed, Collection<X509Certificate> cas) {
        for (X509Certificate ca : cas) {
            if (ca.getSubjectX500Principal().equals(signed.getIssuerX500Principal()) && verifies(signed, ca)) {
                return Optional.of(ca);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code leaf} reaches one of {@code anchors} through CA certificates of {@code pool},
     * each signature verified (names alone prove nothing); at most six steps.
     */
    static boolean reaches(X509Certificate leaf, Collection<X509Certificate> pool, Collection<X509Certificate> anchors) {
        X509Certificate current = leaf;
        for (int depth = 0; depth < 6; depth++) {
            if (issuerOf(current, anchors).isPresent()) {
                return true;
            }
            Optional<X509Certificate> up = issuerOf(current, pool.stream()
                    .filter(c -> c.getBasicConstraints() >= 0 && !isSelfIssued(c)).toList());
            if (up.isEmpty()) {
                return false;
            }
            current = up.get();
        }
        return false;
    }

    /** The CAs named {@code name}. */
    List<X509Certificate> named(X500Principal name) {
        return all.stream().filter(c -> c.getSubjectX500Principal().equals(name)).toList();
    }

    private static boolean verifies(X509Certificate signed, X509Certificate ca) {
        try {
            signed.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean isSelfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }
}
