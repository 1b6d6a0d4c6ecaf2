package org.puente.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.puente.engine.testing.StoreFixtures.T0;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.store.AuditStore;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.security.ClientPrincipal;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestClock;
import org.puente.engine.testing.TestDatabase;
import org.puente.engine.work.Job;
import org.puente.engine.work.Lane;
import org.puente.engine.work.NewJob;
import org.puente.engine.work.Switchboard;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.model.Country;

/**
 * The operators' switch for delivery to the peer lives in the database, so that it holds for every
 * instance, and each throw of it is audited in the unit that throws it: the log and the switch
 * must always tell the same story.
 */
class OperatorActionsTest {
    private static final ClientPrincipal OPERATOR = new ClientPrincipal("ops", ClientEntry.Role.OPERATOR, Optional.empty(),
            "CN=US operator");
    private static final ClientPrincipal OTHER_OPERATOR = new ClientPrincipal("ops-2", ClientEntry.Role.OPERATOR,
            Optional.empty(), "CN=US night operator");

    private final TestClock clock = new TestClock(T0);
    private final AtomicInteger wakes = new AtomicInteger();

    private OperatorActions actions(TestDatabase db) {
        AuditLog audit = new AuditLog(Country.US, db.database().dialect());
        db.tx().addParticipant(audit);
        return new OperatorActions(db.tx(), audit, new Switchboard(), () -> 0, wakes::incrementAndGet, clock);
    }

    @OnBothDatabases
    void a_suspension_holds_peer_bound_claims_and_is_audited_and_a_resume_releases_them(TestDatabase db) {
        OperatorActions ops = actions(db);
        WorkQueue queue = new WorkQueue(db.database().dialect());
        db.tx().write(c -> queue.enqueue(c, new NewJob(WorkKind.PEER_ENVELOPE, "m", Lane.NORMAL, 1, T0,
                T0.plusSeconds(3600)), T0));

        OperatorActions.DeliveryState suspended = ops.suspend(OPERATOR, "  peer maintenance  ");
        List<Job> whileSuspended = claim(db, queue);
        clock.advance(java.time.Duration.ofMinutes(5));
        OperatorActions.DeliveryState resumed = ops.resume(OPERATOR);
        List<Job> afterResume = claim(db, queue);

        assertThat(suspended).isEqualTo(new OperatorActions.DeliveryState(true, "peer maintenance"));
        assertThat(whileSuspended).isEmpty();
        assertThat(resumed).isEqualTo(new OperatorActions.DeliveryState(false, null));
        assertThat(afterResume).hasSize(1);
        assertThat(wakes).as("a resume wakes the dispatch").hasValue(1);
        assertThat(events(db)).extracting(AuditEvent::event, AuditEvent::actor, AuditEvent::at)
                .containsExactly(tuple(AuditEventType.ROUTE_SUSPENDED, "CN=US operator", T0),
                        tuple(AuditEventType.ROUTE_RESUMED, "CN=US operator", T0.plusSeconds(300)));
        assertThat(events(db)).extracting(AuditEvent::detail).as("neither found the switch where it left it")
                .containsExactly("delivery to the peer suspended: peer maintenance", "delivery to the peer resumed");
    }

    @OnBothDatabases
    void a_second_suspension_with_another_reason_moves_the_switch_to_it_and_the_log_says_it_already_was_suspended(
            TestDatabase db) {
        OperatorActions ops = actions(db);
        ops.suspend(OPERATOR, "peer maintenance");
        clock.advance(java.time.Duration.ofMinutes(1));

        OperatorActions.DeliveryState state = ops.suspend(OTHER_OPERATOR, "certificate rollover");

        assertThat(state).isEqualTo(new OperatorActions.DeliveryState(true, "certificate rollover"));
        assertThat(position(db)).as("the switch keeps the latest action, suspended since the first").isEqualTo(
                new Switchboard.Position(true, "certificate rollover", "CN=US night operator", T0));
        assertThat(events(db)).extracting(AuditEvent::event, AuditEvent::actor, AuditEvent::at, AuditEvent::detail)
                .containsExactly(
                        tuple(AuditEventType.ROUTE_SUSPENDED, "CN=US operator", T0,
                                "delivery to the peer suspended: peer maintenance"),
                        tuple(AuditEventType.ROUTE_SUSPENDED, "CN=US night operator", T0.plusSeconds(60),
                                "delivery to the peer suspended: certificate rollover (it already was, since " + T0
                                        + ": peer maintenance)"));
    }

    @OnBothDatabases
    void a_resume_of_delivery_never_suspended_is_audited_as_already_running_and_still_wakes_the_dispatch(TestDatabase db) {
        OperatorActions ops = actions(db);

        OperatorActions.DeliveryState state = ops.resume(OPERATOR);

        assertThat(state).isEqualTo(new OperatorActions.DeliveryState(false, null));
        assertThat(position(db)).isEqualTo(new Switchboard.Position(false, null, "CN=US operator", T0));
        assertThat(events(db)).extracting(AuditEvent::event, AuditEvent::detail)
                .containsExactly(tuple(AuditEventType.ROUTE_RESUMED, "delivery to the peer resumed (it already was)"));
        assertThat(wakes).hasValue(1);
    }

    @OnBothDatabases
    void a_resume_after_a_resume_says_since_when_delivery_was_running(TestDatabase db) {
        OperatorActions ops = actions(db);
        ops.suspend(OPERATOR, "peer maintenance");
        clock.advance(java.time.Duration.ofMinutes(1));
        ops.resume(OPERATOR);
        clock.advance(java.time.Duration.ofMinutes(1));

        ops.resume(OTHER_OPERATOR);

        List<AuditEvent> log = events(db);
        assertThat(log).extracting(AuditEvent::detail).containsExactly(
                "delivery to the peer suspended: peer maintenance",
                "delivery to the peer resumed",
                "delivery to the peer resumed (it already was, since " + T0.plusSeconds(60) + ")");
        assertThat(position(db))
                .as("running since the first resume").isEqualTo(
                        new Switchboard.Position(false, null, "CN=US night operator", T0.plusSeconds(60)));
    }

    private static Switchboard.Position position(TestDatabase db) {
        return db.tx().read(c -> new Switchboard().position(c, Switchboard.PEER_DELIVERY));
    }

    private static List<Job> claim(TestDatabase db, WorkQueue queue) {
        List<List<Job>> batches = db.tx().write(c -> queue.claim(c, WorkKind.PEER_ENVELOPE, 10, 1, Long.MAX_VALUE, "a",
                T0.plusSeconds(3600), T0.plusSeconds(3600)));
        return batches.stream().flatMap(List::stream).toList();
    }

    private static List<AuditEvent> events(TestDatabase db) {
        List<AuditEvent> out = new ArrayList<>();
        db.tx().read(c -> {
            new AuditStore().walk(c, 1, Long.MAX_VALUE, (AuditEntry e) -> out.add(e.event()));
            return null;
        });
        return out;
    }
}
