package org.puente.engine.outbound;

import java.util.List;
import java.util.Optional;
import org.puente.engine.answer.AnswerRows;
import java.util.UUID;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.security.ClientPrincipal;
import org.puente.engine.store.Transactions;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The status history of a submitted message, for the agency that submitted it and for auditors.
 * Anyone else is told it does not exist (404), so ids of other agencies' messages leak nothing.
 */
public final class StatusService {
    private final Transactions tx;
    private final OutboxStore outbox;
    private final StatusStore statuses;

    public StatusService(Transactions tx, OutboxStore outbox, StatusStore statuses) {
        this.tx = tx;
        this.outbox = outbox;
        this.statuses = statuses;
    }

    /** A message's current state, its history, and the receiving agency's business answer if it came. */
    public record StatusView(OutboxEntry entry, List<StatusStore.Entry> history, Optional<AnswerRows.Row> answer) {
    }

    public StatusView status(ClientPrincipal caller, UUID messageId) {
        return tx.read(c -> {
            OutboxEntry e = outbox.find(c, messageId)
                    .filter(x -> caller.is(ClientEntry.Role.AUDITOR)
                            || caller.agency().map(a -> a.agency().equals(x.submitter())).orElse(false))
                    .orElseThrow(() -> new PuenteException(ErrorCode.NOT_FOUND, "message", messageId));
            return new StatusView(e, statuses.history(c, messageId), AnswerRows.find(c, messageId));
        });
    }
}
