package org.puente.routes.ops;

import java.sql.Connection;
import java.sql.SQLException;
import org.puente.model.Country;
import org.puente.routes.store.AuditEvent;
import org.puente.routes.store.AuditLog;

/**
 * The audit log, timed: how long each append takes inside its unit of work, and how many appends
 * failed (each failure rolled back the state change it recorded). The audit log itself decides
 * what an append is; this only measures it.
 */
public final class MeteredAuditLog extends AuditLog {
    /** Observes appends (metrics). */
    public interface AppendListener {
        void appended(long nanos);

        void appendFailed();
    }

    private final AppendListener listener;

    public MeteredAuditLog(Country country, AppendListener listener) {
        super(country);
        this.listener = listener;
    }

    @Override
    public void append(Connection c, AuditEvent e) throws SQLException {
        long start = System.nanoTime();
        try {
            super.append(c, e);
        } catch (SQLException | RuntimeException failure) {
            listener.appendFailed();
            throw failure;
        }
        listener.appended(System.nanoTime() - start);
    }
}
