package org.puente.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A request body's deadline: the grace plus its length at the minimum rate, exact and without overflow. */
class BodyPaceTest {
    private static final long MIB = 1024 * 1024;
    private final GatewayConfig.BodyPace pace = new GatewayConfig.BodyPace(Duration.ofSeconds(30), MIB);

    @Test
    void an_empty_body_has_the_grace_and_each_mib_adds_a_second_at_one_mib_a_second() {
        assertThat(pace.deadline(0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(pace.deadline(64 * MIB)).isEqualTo(Duration.ofSeconds(94));
        assertThat(pace.deadline(MIB + MIB / 2)).isEqualTo(Duration.ofMillis(31_500));
    }

    @Test
    void the_largest_limit_a_listener_can_be_given_has_a_deadline_the_listener_can_count_in_milliseconds() {
        // the loader's floor on the rate is 1 KiB/s: Long.MAX_VALUE bytes at it still fit in a long of milliseconds
        assertThat(new GatewayConfig.BodyPace(Duration.ofSeconds(30), 1L << 30).deadline(Long.MAX_VALUE))
                .isPositive().isGreaterThan(Duration.ofDays(365));
        assertThat(new GatewayConfig.BodyPace(Duration.ofSeconds(30), 1024).deadline(Long.MAX_VALUE).toMillis()).isPositive();
    }
}
