package org.puente.engine.ops;

import java.time.Instant;
import java.util.Map;
import org.puente.engine.cases.AssistanceCases;
import org.puente.engine.cases.CaseCounts;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.store.InstanceName;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Lane;
import org.puente.engine.work.Switchboard;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;

/** The figures operators watch, read from the database in one go (for health checks, gauges and the dashboard). */
public final class StateReadings {
    private final Transactions tx;
    private final Sources sources;

    /** Where the figures come from. */
    public record Sources(OutboxStore outbox, InboxStore inbox, WorkQueue queue, Switchboard switches,
                          AssistanceCases cases) {
    }

    public StateReadings(Transactions tx, Sources sources) {
        this.tx = tx;
        this.sources = sources;
    }

    /**
     * Undelivered outbound messages, received messages waiting for their agency, dead letters, the
     * delivery switch, the envelopes waiting for the peer per priority lane, and the assistance
     * cases not closed (due soon, overdue).
     */
    public record Reading(long outboxDepth, Instant outboxOldest, long mailboxDepth, Instant mailboxOldest, long deadLetters,
                         boolean suspended, Map<Lane, WorkQueue.LaneDepth> peerLanes, CaseCounts cases) {
        /** Nothing measured yet. */
        public static final Reading NONE = new Reading(0, null, 0, null, 0, false, Map.of(), CaseCounts.NONE);

        public WorkQueue.LaneDepth lane(Lane lane) {
            return peerLanes.getOrDefault(lane, WorkQueue.LaneDepth.EMPTY);
        }
    }

    public Reading read() {
        return tx.read(c -> {
            OutboxStore.Backlog b = sources.outbox().backlog(c);
            InboxStore.Depth d = sources.inbox().depth(c);
            return new Reading(b.pending(), b.oldestCreatedAt(), d.messages(), d.oldestReceivedAt(),
                    sources.queue().deadCount(c), sources.switches().position(c, Switchboard.PEER_DELIVERY).suspended(),
                    Map.copyOf(sources.queue().laneDepths(c, WorkKind.PEER_ENVELOPE)), sources.cases().counts(c));
        });
    }

    /** Where the data is, without credentials. */
    public String databaseDescription() {
        return tx.database().description();
    }

    /** Whether this process still holds its instance name on the shared database. */
    public InstanceName.State instanceNameHeld() {
        return tx.database().instanceNameHeld();
    }

    /** Liveness: the database answers. */
    public boolean databaseReachable() {
        return tx.database().isReachable();
    }
}
