package org.puente.engine.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The CRLs of every certification authority the gateway meets, read from the configured files and
 * checked before anything trusts them, so that a bad file (emptied by a failed copy, truncated,
 * stale, from the wrong CA) is refused instead of locking every TLS client out.
 *
 * <p>A set is accepted only if: every file holds at least one CRL; every CRL verifies with the key
 * of a known CA of that name; none is dated in the future or past its next update; every known CA
 * has a CRL; and no CA's CRL is older than the one in force (a replayed old CRL would lift a
 * revocation). Immutable.
 *
 * @param crls       the CRLs, in file order
 * @param nextUpdate the earliest next update among them: when the first one goes stale
 */
public record CrlSet(List<X509CRL> crls, Instant nextUpdate) {
    /** Clock difference tolerated between the CA that dated a CRL and this gateway. */
    static final Duration SKEW = Duration.ofMinutes(5);

    public CrlSet {
        crls = List.copyOf(crls);
    }

    /**
     * Reads and checks the CRL files.
     *
     * @param previous the set in force (its CRLs may not be replaced by older ones), or null at start-up
     * @throws PuenteException {@code crls_refused} with the first reason, naming the file or the CA
     */
    public static CrlSet load(Collection<Path> files, CertificateAuthorities cas, CrlSet previous, Instant now) {
        if (files.isEmpty()) {
            throw refused("no CRL file is configured (puente.pki.crls)");
        }
        List<X509CRL> crls = new ArrayList<>();
        for (Path file : files) {
            List<X509CRL> read = read(file);
            for (X509CRL crl : read) {
                check(crl, file, cas, now);
            }
            crls.addAll(read);
        }
        Map<X500Principal, Instant> newest = newestByIssuer(crls);
        for (X509Certificate ca : cas.all()) {
            if (!newest.containsKey(ca.getSubjectX500Principal())) {
                throw refused("no CRL of \"" + ca.getSubjectX500Principal().getName()
                        + "\": every certificate it issued would be refused");
            }
        }
        if (previous != null) {
            newestByIssuer(previous.crls()).forEach((issuer, inForce) -> {
                Instant candidate = newest.get(issuer);
                if (candidate != null && candidate.isBefore(inForce)) {
                    throw refused("the CRL of \"" + issuer.getName() + "\" was issued " + candidate
                            + ", before the one in force (" + inForce + "): an older CRL may lift revocations");
                }
            });
        }
        Instant next = crls.stream().map(c -> c.getNextUpdate().toInstant()).min(Instant::compareTo).orElseThrow();
        return new CrlSet(crls, next);
    }

    private static List<X509CRL> read(Path file) {
        List<X509CRL> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                out.add((X509CRL) crl);
            }
        } catch (NoSuchFileException e) {
            throw refused("the CRL file " + file + " does not exist");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw refused("the CRL file " + file + " cannot be read as a CRL (truncated or not PEM/DER?)");
        }
        if (out.isEmpty()) {
            throw refused("the CRL file " + file + " holds no CRL (an empty or half-copied file?)");
        }
        return out;
    }

    private static void check(X509CRL crl, Path file, CertificateAuthorities cas, Instant now) {
        String issuer = crl.getIssuerX500Principal().getName();
        List<X509Certificate> named = cas.named(crl.getIssuerX500Principal());
        if (named.isEmpty()) {
            throw refused("the CRL in " + file + " is issued by \"" + issuer
                    + "\", which is not a known CA of either country (add its certificate to puente.pki.trust.intermediates)");
        }
        boolean verified = false;
        for (X509Certificate ca : named) {
            try {
                crl.verify(ca.getPublicKey());
                verified = true;
                break;
            } catch (GeneralSecurityException e) {
                // try the next CA certificate of that name (a CA renewed with a new key)
            }
        }
        if (!verified) {
            throw refused("the CRL in " + file + " does not verify with the key of \"" + issuer + "\"");
        }
        if (crl.getThisUpdate().toInstant().isAfter(now.plus(SKEW))) {
            throw refused("the CRL of \"" + issuer + "\" in " + file + " is dated " + crl.getThisUpdate().toInstant()
                    + ", in the future");
        }
        if (crl.getNextUpdate() == null) {
            throw refused("the CRL of \"" + issuer + "\" in " + file + " has no next update");
        }
        if (!crl.getNextUpdate().toInstant().isAfter(now)) {
            throw refused("the CRL of \"" + issuer + "\" in " + file + " expired at " + crl.getNextUpdate().toInstant()
                    + ": get a fresh one from its CA");
        }
    }

    private static Map<X500Principal, Instant> newestByIssuer(Collection<X509CRL> crls) {
        Map<X500Principal, Instant> m = new HashMap<>();
        for (X509CRL c : crls) {
            m.merge(c.getIssuerX500Principal(), c.getThisUpdate().toInstant(), (a, b) -> a.isAfter(b) ? a : b);
        }
        return m;
    }

    private static PuenteException refused(String reason) {
        return new PuenteException(ErrorCode.CRLS_REFUSED, reason);
    }

    public int size() {
        return crls.size();
    }
}
