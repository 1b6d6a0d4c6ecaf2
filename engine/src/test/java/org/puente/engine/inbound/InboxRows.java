package org.puente.engine.inbound;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Inserts inbox rows for tests outside this package, past the ledger (which audits and queues the
 * hand-over): the payload tests need rows as the store writes them, nothing more.
 */
public final class InboxRows {
    private InboxRows() {
    }

    public static boolean insert(InboxStore inbox, Connection c, InboxStore.NewMessage m, Instant now)
            throws SQLException {
        return inbox.insert(c, m, now);
    }
}
