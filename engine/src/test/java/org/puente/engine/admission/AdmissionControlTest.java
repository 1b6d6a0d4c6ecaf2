package org.puente.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** The processing budget: what it admits, what it sheds and refuses, and that it always gets its bytes back. */
class AdmissionControlTest {
    static final long MIB = 1024 * 1024;

    @Test
    void documents_share_the_budget_and_the_one_that_would_pass_it_is_shed_overloaded() {
        AdmissionControl a = ready(64 * MIB, 40 * MIB);
        AdmissionControl.Ticket first = a.admit(30 * MIB);

        assertRefused(() -> a.admit(11 * MIB), ErrorCode.OVERLOADED);
        AdmissionControl.Ticket small = a.admit(10 * MIB);
        assertThat(a.bytesInProcess()).isEqualTo(40 * MIB);

        first.close();
        assertThat(a.bytesInProcess()).isEqualTo(10 * MIB);
        a.admit(30 * MIB).close();
        small.close();
        assertThat(a.bytesInProcess()).isZero();
    }

    @Test
    void a_document_larger_than_the_whole_budget_is_payload_too_large_with_the_budget_as_the_limit() {
        AdmissionControl a = ready(64 * MIB, 40 * MIB);

        assertThatThrownBy(() -> a.admit(48 * MIB)).isInstanceOfSatisfying(PuenteException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
            assertThat(e.sentence(java.util.Locale.ENGLISH)).endsWith("the limit is 41,943,040 bytes.");
        });
        assertThat(a.bytesInProcess()).isZero();
    }

    @Test
    void a_shed_document_takes_neither_budget_nor_backlog() {
        AdmissionControl a = new AdmissionControl(64 * MIB, 2, 40 * MIB);
        a.ready();
        AdmissionControl.Ticket held = a.admit(35 * MIB);

        assertRefused(() -> a.admit(10 * MIB), ErrorCode.OVERLOADED);
        // the refused one counted no backlog: one more small document still fits the backlog of 2
        held.close();
        a.admit(MIB).close();
        assertRefused(() -> a.admit(MIB), ErrorCode.OVERLOADED);
    }

    @Test
    void a_ticket_closed_twice_gives_its_bytes_back_once() {
        AdmissionControl a = ready(64 * MIB, 40 * MIB);
        AdmissionControl.Ticket t = a.admit(20 * MIB);
        AdmissionControl.Ticket other = a.admit(20 * MIB);
        t.close();
        t.close();

        assertThat(a.bytesInProcess()).isEqualTo(20 * MIB);
        other.close();
    }

    @Test
    void under_contention_the_bytes_in_process_never_pass_the_budget_and_end_at_zero() throws Exception {
        AdmissionControl a = ready(64 * MIB, 10 * MIB);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<long[]>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            runs.add(pool.submit(() -> {
                go.await();
                long admitted = 0;
                long shed = 0;
                for (int i = 0; i < 5_000; i++) {
                    try (AdmissionControl.Ticket ticket = a.admit(3 * MIB)) {
                        admitted++;
                        assertThat(a.bytesInProcess()).isLessThanOrEqualTo(10 * MIB);
                    } catch (PuenteException e) {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.OVERLOADED);
                        shed++;
                    }
                }
                return new long[] {admitted, shed};
            }));
        }
        go.countDown();
        long admitted = 0;
        for (Future<long[]> f : runs) {
            admitted += f.get(60, TimeUnit.SECONDS)[0];
        }
        pool.shutdown();

        assertThat(admitted).isPositive();
        assertThat(a.bytesInProcess()).isZero();
    }

    private static AdmissionControl ready(long maxPayload, long budget) {
        AdmissionControl a = new AdmissionControl(maxPayload, Long.MAX_VALUE, budget);
        a.ready();
        return a;
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PuenteException.class, e -> assertThat(e.errorCode()).isEqualTo(code));
    }
}
