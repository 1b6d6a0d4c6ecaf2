package org.puente.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

class ByteBudgetTest {
    @Test
    void a_share_that_does_not_fit_now_is_refused_overloaded_and_fits_once_another_is_given_back() {
        ByteBudget b = new ByteBudget(100);
        ByteBudget.Held first = b.hold(70);

        assertThatThrownBy(() -> b.hold(40)).isInstanceOf(PuenteException.class)
                .extracting(e -> ((PuenteException) e).errorCode()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(b.used()).as("a refused share never shows in the count").isEqualTo(70);
        first.close();
        first.close();

        assertThat(b.used()).as("given back once, however often closed").isZero();
        assertThat(b.hold(40).bytes()).isEqualTo(40);
    }

    @Test
    void a_share_larger_than_the_whole_budget_is_refused_payload_too_large() {
        ByteBudget b = new ByteBudget(100);

        assertThatThrownBy(() -> b.hold(101)).extracting(e -> ((PuenteException) e).errorCode())
                .isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(b.used()).isZero();
    }

    @Test
    void a_budget_admitting_one_larger_takes_it_alone_and_nothing_beside_it() {
        ByteBudget b = ByteBudget.admittingOneLarger(100);
        ByteBudget.Held small = b.hold(10);

        assertThatThrownBy(() -> b.hold(150)).as("not beside another share").extracting(e -> ((PuenteException) e).errorCode())
                .isEqualTo(ErrorCode.OVERLOADED);
        small.close();
        ByteBudget.Held large = b.hold(150);
        assertThatThrownBy(() -> b.hold(1)).as("nothing beside it").extracting(e -> ((PuenteException) e).errorCode())
                .isEqualTo(ErrorCode.OVERLOADED);
        large.close();

        assertThat(b.used()).isZero();
    }

    @Test
    void a_request_without_a_body_takes_nothing_and_is_never_refused_even_beside_a_larger_share() {
        ByteBudget b = ByteBudget.admittingOneLarger(100);
        ByteBudget.Held large = b.hold(150);

        ByteBudget.Held none = b.hold(0);

        assertThat(none.bytes()).isZero();
        none.close();
        large.close();
        assertThat(b.used()).isZero();
    }

    @Test
    void a_share_grows_while_there_is_room_and_keeps_what_it_held_when_there_is_none() {
        ByteBudget b = new ByteBudget(100);
        ByteBudget.Held other = b.hold(50);
        ByteBudget.Held growing = b.hold(0);

        growing.grow(30);
        assertThatThrownBy(() -> growing.grow(30)).extracting(e -> ((PuenteException) e).errorCode())
                .isEqualTo(ErrorCode.OVERLOADED);

        assertThat(growing.bytes()).isEqualTo(30);
        assertThat(b.used()).isEqualTo(80);
        growing.close();
        other.close();
        assertThat(b.used()).isZero();
        assertThatThrownBy(() -> growing.grow(1)).as("a share given back does not grow again")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void the_only_share_of_a_budget_admitting_one_larger_grows_past_it_and_another_does_not() {
        ByteBudget b = ByteBudget.admittingOneLarger(100);
        ByteBudget.Held alone = b.hold(90);

        alone.grow(60);
        assertThat(b.used()).isEqualTo(150);
        alone.close();

        ByteBudget.Held other = b.hold(20);
        ByteBudget.Held growing = b.hold(70);
        assertThatThrownBy(() -> growing.grow(20)).extracting(e -> ((PuenteException) e).errorCode())
                .isEqualTo(ErrorCode.OVERLOADED);
        assertThat(b.used()).isEqualTo(90);
        other.close();
        growing.close();
    }

    @Test
    void shares_taken_and_given_back_by_many_threads_at_once_never_pass_the_budget() throws Exception {
        ByteBudget b = new ByteBudget(1000);
        AtomicLong most = new AtomicLong();
        java.util.Set<ErrorCode> refusals = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    try (ByteBudget.Held h = b.hold(300)) {
                        most.accumulateAndGet(b.used(), Math::max);
                        h.grow(100);
                        most.accumulateAndGet(b.used(), Math::max);
                    } catch (PuenteException refused) {
                        refusals.add(refused.errorCode());
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }

        assertThat(most.get()).isLessThanOrEqualTo(1000);
        assertThat(refusals).containsOnly(ErrorCode.OVERLOADED);
        assertThat(b.used()).isZero();
    }
}
