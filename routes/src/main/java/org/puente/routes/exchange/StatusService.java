package org.puente.routes.exchange;

import java.util.List;
import java.util.UUID;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.config.ClientEntry;
import org.puente.routes.security.ClientPrincipal;
import org.puente.routes.store.OutboxEntry;
import org.puente.routes.store.OutboxStore;
import org.puente.routes.store.StatusStore;
import org.puente.routes.store.Transactions;

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

    /** A message's current state and its history. */
    public record StatusView(OutboxEntry entry, List<StatusStore.Entry> history, String lastErrorCode) {
    }

    public StatusView status(ClientPrincipal caller, UUID messageId) {
        return tx.read(c -> {
            OutboxEntry e = outbox.find(c, messageId)
                    .filter(x -> caller.is(ClientEntry.Role.AUDITOR)
                            || caller.agency().map(a -> a.agency().equals(x.submitter())).orElse(false))
                    .orElseThrow(() -> new PuenteException(ErrorCode.NOT_FOUND, "message", messageId));
            List<StatusStore.Entry> history = statuses.history(c, messageId);
            String lastError = history.isEmpty() ? null : history.get(history.size() - 1).errorCode();
            return new StatusView(e, history, lastError);
        });
    }
}
