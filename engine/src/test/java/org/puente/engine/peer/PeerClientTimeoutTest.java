package org.puente.engine.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PeerClientTimeoutTest {
    private static final Duration BASE = Duration.ofSeconds(30);
    private static final Duration PER_MIB = Duration.ofSeconds(1);
    private static final long MIB = 1024 * 1024;

    @Test
    void a_batch_of_small_envelopes_waits_the_configured_timeout() {
        assertThat(PeerClient.timeoutFor(BASE, PER_MIB, 32 * 6_600L)).isEqualTo(BASE);
        assertThat(PeerClient.timeoutFor(BASE, PER_MIB, MIB - 1)).isEqualTo(BASE);
    }

    @Test
    void a_large_envelope_gets_the_allowance_for_each_whole_mib_it_carries() {
        assertThat(PeerClient.timeoutFor(BASE, PER_MIB, MIB)).isEqualTo(Duration.ofSeconds(31));
        // the 64 MiB message of LargePayloadTest: sealed, a little more than its payload
        assertThat(PeerClient.timeoutFor(BASE, PER_MIB, 64 * MIB + 200_000)).isEqualTo(Duration.ofSeconds(94));
    }

    @Test
    void without_an_allowance_every_request_waits_the_same() {
        assertThat(PeerClient.timeoutFor(BASE, Duration.ZERO, 64 * MIB)).isEqualTo(BASE);
    }
}
