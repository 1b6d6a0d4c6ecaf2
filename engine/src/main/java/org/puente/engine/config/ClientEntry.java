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
 * @param subject   the certificate subject it is recognised by (compared as X.500 names, not strings)
 * @param sha256    alternatively, the certificate's SHA-256 fingerprint (lower-case hex)
 */
public record ClientEntry(String id, Role role, Optional<String> agency, Optional<X500Principal> subject,
                          Optional<String> sha256) {

    /** What a client may do. */
    public enum Role {
        AGENCY,
        OPERATOR,
        AUDITOR
    }
}
