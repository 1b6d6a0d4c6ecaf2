package org.puente.engine.keys;

import java.time.Clock;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.security.ClientPrincipal;
import org.puente.engine.security.GatewaySecurity;
import org.puente.engine.security.KeyRing;
import org.puente.engine.store.StorageKeys;
import org.puente.engine.store.Transactions;
import org.puente.model.error.PuenteException;

/**
 * An operator's key reload, audited either way: the keystore read again and checked, the storage
 * key sealed again for it, the new keys put in force, and a new encryption certificate announced
 * to the peer at once (and on every tick until the peer confirms it).
 */
public final class KeyReloads {
    /** What the reload put in force, and where the announcement to the peer stands. */
    public record Result(KeyRing.Reloaded reloaded, KeyAnnouncements.Status announcement) {
        public String summary() {
            return reloaded.summary() + (announcement.confirmed()
                    ? "; the peer seals to encryption certificate " + announcement.fingerprint()
                    : "; the peer has not confirmed the new encryption certificate yet ("
                            + (announcement.lastFailure() == null ? "announced" : announcement.lastFailure())
                            + "); it is announced again every 15 s");
        }
    }

    private final GatewaySecurity security;
    private final Transactions tx;
    private final AuditLog audit;
    private final KeyAnnouncements announcements;
    private final Clock clock;

    public KeyReloads(GatewaySecurity security, Transactions tx, AuditLog audit, KeyAnnouncements announcements,
                      Clock clock) {
        this.security = security;
        this.tx = tx;
        this.audit = audit;
        this.announcements = announcements;
        this.clock = clock;
    }

    /** @throws PuenteException {@code keys_refused} naming the problem; the keys in force stay */
    public Result reload(ClientPrincipal operator) {
        KeyRing.Reloaded done;
        try {
            done = security.keyRing().reload((before, after) ->
                    StorageKeys.rekey(tx, before, after, security.profile(), clock));
        } catch (PuenteException e) {
            String why = e.args().isEmpty() ? e.errorCode().code() : String.valueOf(e.args().get(0));
            audit.append(tx, AuditEvent.action(AuditEventType.KEYS_RELOADED, clock.instant(), operator.subject(), null)
                    .withOutcome(AuditEvent.FAILED, e.errorCode(), "key reload refused (" + why
                            + "); the keys in force stay"));
            throw e;
        }
        audit.append(tx, AuditEvent.action(AuditEventType.KEYS_RELOADED, clock.instant(), operator.subject(), done.summary()));
        if (done.encryptionChanged()) {
            announcements.reloaded(done.encryption());
        }
        return new Result(done, announcements.announceIfPending());
    }
}
