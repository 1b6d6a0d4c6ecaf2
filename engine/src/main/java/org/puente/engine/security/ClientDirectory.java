package org.puente.engine.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.config.ClientEntry;

/**
 * Maps a TLS client certificate (already chain- and revocation-checked by the listener) to a
 * configured client. Subjects are compared as parsed X.500 names ({@code X500Principal#equals}
 * compares canonical forms), never as strings; fingerprints as lower-case hex.
 */
public final class ClientDirectory {
    private final Country country;
    private final List<ClientEntry> clients;

    public ClientDirectory(Country country, List<ClientEntry> clients) {
        this.country = country;
        this.clients = List.copyOf(clients);
    }

    public Optional<ClientPrincipal> identify(X509Certificate certificate) {
        String fingerprint = sha256(certificate);
        for (ClientEntry c : clients) {
            boolean matches = c.sha256().map(fingerprint::equals)
                    .orElseGet(() -> c.subject().map(s -> s.equals(certificate.getSubjectX500Principal())).orElse(false));
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
                "the certificate " + certificate.getSubjectX500Principal().getName() + " is not a configured client"));
    }

    static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "certificate fingerprint");
        }
    }
}
