package org.puente.engine.cases;

import java.time.Instant;
import java.util.UUID;

/**
 * One step of a case's history.
 *
 * @param event     OPENED, DEFERRED, ANSWERED, FOLLOW_UP or OVERDUE
 * @param messageId the message that made it (none for OVERDUE)
 * @param detail    what changed, e.g. the outcome or the new deadline
 */
public record CaseEvent(Instant at, String event, UUID messageId, String detail) {
}
