package org.puente.engine.audit;

import org.puente.model.Country;

/** The two sides of an audit exchange (witnessing, reconciliation): this gateway, its country, and the peer gateway. */
public record Parties(String ownName, Country country, String peerName) {
}
