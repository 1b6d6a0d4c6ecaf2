package org.puente.engine.config;

import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * One configured client of this gateway: an agency back-end system, an operator or an auditor.
 * Roles come from configuration, not from the certificate alone (DESIGN.md, "Identity and roles").
 *
 * @param id        configuration id, e.g. {@code cbp}
 * @param role      what the client may do
 * @param agency    the agency it acts for (agency role only)
 * @param subject   the certificate subject it is recognised by (compared as X.500 names, not strings),
 *                  together with its issuer
 * @param sha256    alternatively, the certificate's SHA-256 fingerprint (lower-case hex)
 * @param issuer    the name of the CA that issued the certificate: a subject is only recognised
 *                  from that issuer (another CA under the same root may issue the same subject)
 */
public record ClientEntry(String id, Role role, Optional<String> agency, Optional<X500Principal> subject,
                          Optional<String> sha256, Optional<X500Principal> issuer) {

    /** An entry recognised by fingerprint only (its subject, without an issuer, matches nothing). */
    public ClientEntry(String id, Role role, Optional<String> agency, Optional<X500Principal> subject,
                       Optional<String> sha256) {
        this(id, role, agency, subject, sha256, Optional.empty());
    }

    /** What a client may do. */
    public enum Role {
        AGENCY,
        OPERATOR,
        AUDITOR
    }
}
