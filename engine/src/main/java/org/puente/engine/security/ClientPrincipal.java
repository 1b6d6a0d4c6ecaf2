package org.puente.engine.security;

import java.util.Optional;
import org.puente.model.AgencyRef;
import org.puente.engine.config.ClientEntry;

/**
 * The authenticated caller of a listener, resolved from its TLS client certificate and the
 * configured client list.
 *
 * @param clientId configuration id of the client
 * @param role     what it may do
 * @param agency   the agency it acts for (agency clients only)
 * @param subject  its certificate subject (RFC 2253), recorded as the actor in audit events
 */
public record ClientPrincipal(String clientId, ClientEntry.Role role, Optional<AgencyRef> agency, String subject) {

    public boolean is(ClientEntry.Role r) {
        return role == r;
    }
}
