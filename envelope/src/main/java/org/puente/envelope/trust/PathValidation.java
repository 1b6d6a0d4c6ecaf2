package org.puente.envelope.trust;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Builds the path from a signer certificate to one of the trusted roots and validates it with the
 * JDK's PKIX validator (RFC 5280), mapping each failure reason to its Puente error code.
 *
 * <p>Implementation note: the path is assembled here from the certificates the signer supplied
 * (matching issuer to subject by parsed X.500 name) rather than by a CertPathBuilder, so that the
 * validator's reason (expired, revoked, …) reaches the caller instead of a generic "no path".
 * Revocation is checked against the configured CRLs only: no network fetching (CRL distribution
 * points, OCSP) from inside the gateway.
 */
final class PathValidation {
    private static final int MAX_PATH = 6;

    private PathValidation() {
    }

    static List<X509Certificate> assemble(X509Certificate leaf, Collection<X509Certificate> supplied,
                                          Set<TrustAnchor> anchors) {
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        X509Certificate current = leaf;
        while (path.size() <= MAX_PATH) {
            if (issuedByAnchor(current, anchors)) {
                return path;
            }
            X509Certificate issuer = findIssuer(current, supplied, path);
            if (issuer == null || isSelfIssued(issuer)) {
                throw new PuenteException(ErrorCode.UNTRUSTED_CHAIN,
                        "no path from \"" + CertificateNames.display(leaf) + "\" to a trusted root");
            }
            path.add(issuer);
            current = issuer;
        }
        throw new PuenteException(ErrorCode.UNTRUSTED_CHAIN, "certificate path longer than " + MAX_PATH);
    }

    /** PKIX validation at {@code at}; returns the trust anchor's certificate. */
    static X509Certificate validate(List<X509Certificate> path, Set<TrustAnchor> anchors, Collection<X509CRL> crls,
                                    boolean revocation, Instant at) {
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            PKIXParameters params = new PKIXParameters(anchors);
            params.setDate(Date.from(at));
            params.setRevocationEnabled(false);
            if (revocation) {
                PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
                checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                        PKIXRevocationChecker.Option.NO_FALLBACK));
                params.addCertPathChecker(checker);
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            }
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) validator.validate(certPath, params);
            return result.getTrustAnchor().getTrustedCert();
        } catch (CertPathValidatorException e) {
            throw map(e, path);
        } catch (GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.UNTRUSTED_CHAIN, e, "the path cannot be validated");
        }
    }

    /** Validity of every certificate of the path (and its root) at one instant, e.g. the signing time. */
    static void checkValidityAt(List<X509Certificate> path, X509Certificate root, Instant at) {
        List<X509Certificate> all = new ArrayList<>(path);
        if (root != null) {
            all.add(root);
        }
        for (X509Certificate c : all) {
            if (at.isAfter(c.getNotAfter().toInstant())) {
                throw new PuenteException(ErrorCode.CERTIFICATE_EXPIRED, CertificateNames.display(c),
                        DateTimeFormatter.ISO_INSTANT.format(c.getNotAfter().toInstant()));
            }
            if (at.isBefore(c.getNotBefore().toInstant())) {
                throw new PuenteException(ErrorCode.CERTIFICATE_NOT_YET_VALID, CertificateNames.display(c),
                        DateTimeFormatter.ISO_INSTANT.format(c.getNotBefore().toInstant()));
            }
        }
    }

    private static PuenteException map(CertPathValidatorException e, List<X509Certificate> path) {
        int index = e.getIndex();
        X509Certificate subject = index >= 0 && index < path.size() ? path.get(index) : path.get(0);
        String who = CertificateNames.display(subject);
        CertPathValidatorException.Reason reason = e.getReason();
        if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
            return new PuenteException(ErrorCode.CERTIFICATE_EXPIRED, e, who,
                    DateTimeFormatter.ISO_INSTANT.format(subject.getNotAfter().toInstant()));
        }
        if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return new PuenteException(ErrorCode.CERTIFICATE_NOT_YET_VALID, e, who,
                    DateTimeFormatter.ISO_INSTANT.format(subject.getNotBefore().toInstant()));
        }
        if (reason == CertPathValidatorException.BasicReason.REVOKED) {
            return new PuenteException(ErrorCode.CERTIFICATE_REVOKED, e, who);
        }
        if (reason == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
            return new PuenteException(ErrorCode.UNTRUSTED_CHAIN, e,
                    "revocation status of \"" + who + "\" unknown (no current CRL from its issuer)");
        }
        if (reason == PKIXReason.INVALID_KEY_USAGE || reason == PKIXReason.NOT_CA_CERT) {
            return new PuenteException(ErrorCode.UNTRUSTED_CHAIN, e, "\"" + who + "\" may not issue certificates");
        }
        if (reason == PKIXReason.NO_TRUST_ANCHOR) {
            return new PuenteException(ErrorCode.UNTRUSTED_CHAIN, e, "\"" + who + "\" is not issued by a trusted root");
        }
        if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
            return new PuenteException(ErrorCode.UNTRUSTED_CHAIN, e,
                    "the signature on \"" + who + "\" does not verify with its issuer's key");
        }
        return new PuenteException(ErrorCode.UNTRUSTED_CHAIN, e, "\"" + who + "\": " + reason);
    }

    private static boolean issuedByAnchor(X509Certificate cert, Set<TrustAnchor> anchors) {
        for (TrustAnchor a : anchors) {
            if (a.getTrustedCert().getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                return true;
            }
        }
        return false;
    }

    private static X509Certificate findIssuer(X509Certificate cert, Collection<X509Certificate> supplied,
                                              List<X509Certificate> path) {
        for (X509Certificate c : supplied) {
            if (!path.contains(c) && c.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                return c;
            }
        }
        return null;
    }

    private static boolean isSelfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }
}
