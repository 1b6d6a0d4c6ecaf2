package org.puente.model.catalogue;

import org.puente.model.AgencyRef;

/**
 * One permitted direction for a message type: this agency may send it to that agency of the other country.
 *
 * @param from the sending agency
 * @param to   the receiving agency
 */
public record RouteRule(AgencyRef from, AgencyRef to) {

    @Override
    public String toString() {
        return from + " -> " + to;
    }
}
