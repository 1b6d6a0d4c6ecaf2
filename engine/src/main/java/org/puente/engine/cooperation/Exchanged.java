package org.puente.engine.cooperation;

import java.time.Instant;
import org.puente.model.EnvelopeHeader;

/**
 * A message crossing this gateway, as the cooperation rules see it.
 *
 * @param header  its envelope header
 * @param payload its payload (the agency's JSON bytes)
 * @param sent    true for what our agency sends, false for what the peer's agency sent us
 * @param at      when this gateway accepts or stores it
 * @param by      who: the submitting agency client's certificate subject, or the peer gateway
 */
public record Exchanged(EnvelopeHeader header, byte[] payload, boolean sent, Instant at, String by) {
}
