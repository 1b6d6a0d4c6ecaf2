package org.puente.engine.security;

import java.security.cert.X509Certificate;
import org.puente.envelope.Fingerprints;
import java.util.List;
import java.util.Optional;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.config.ClientEntry;

/**
 * Maps a TLS client certificate (already chain- and revocation-checked by the listener) to a
 * configured client: by its SHA-256 fingerprint, or by issuer and subject together (never the
 * subject or the common name alone: another CA under the same root could issue the same subject).
 * Names are compared as parsed X.500 names ({@code X500Principal#equals} compares canonical forms),
 * never as strings; fingerprints as lower-case hex. Every role is a TLS client, so the certificate
 * must carry the extended key usage clientAuth.
 */
public final class ClientDirectory {
    private final Country country;
    private final List<ClientEntry> clients;

    public ClientDirectory(Country country, List<ClientEntry> clients) {
        this.country = country;
        this.clients = List.copyOf(clients);
    }

    public Optional<ClientPrincipal> identify(X509Certificate certificate) {
        if (!isTlsClient(certificate)) {
            return Optional.empty();
        }
        String fingerprint = sha256(certificate);
        for (ClientEntry c : clients) {
            boolean matches = c.sha256().map(fingerprint::equals)
                    .orElseGet(() -> c.subject().isPresent() && c.issuer().isPresent()
                            && c.subject().get().equals(certificate.getSubjectX500Principal())
                            && c.issuer().get().equals(certificate.getIssuerX500Principal()));
            if (matches) {
                return Optional.of(new ClientPrincipal(c.id(), c.role(), c.agency().map(a -> new AgencyRef(country, a)),
                        certificate.getSubjectX500Principal().getName()));
            }
        }
        return Optional.empty();
    }

    /** Identifies the caller or refuses it: a certificate our CA issued but no configured client holds. */
    public ClientPrincipal require(X509Certificate certificate) {
        if (certificate == null) {
            throw new PuenteException(ErrorCode.CLIENT_NOT_AUTHENTICATED);
        }
        return identify(certificate).orElseThrow(() -> new PuenteException(ErrorCode.FORBIDDEN,
                isTlsClient(certificate)
                        ? "the certificate " + certificate.getSubjectX500Principal().getName() + " issued by "
                                + certificate.getIssuerX500Principal().getName() + " is not a configured client"
                        : "the certificate " + certificate.getSubjectX500Principal().getName()
                                + " lacks the extended key usage clientAuth"));
    }

    static boolean isTlsClient(X509Certificate certificate) {
        try {
            java.util.List<String> eku = certificate.getExtendedKeyUsage();
            return eku != null && eku.contains(ReloadableTrustManager.CLIENT_AUTH);
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    static String sha256(X509Certificate certificate) {
        return Fingerprints.certificate(certificate);
    }
}
