package org.puente.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void test_jvms_numbered_by_surefire_draw_from_slices_that_do_not_overlap() {
        assertThat(FreePorts.range("fork-1")).containsExactly(20_000, 23_000);
        assertThat(FreePorts.range("fork-2")).containsExactly(23_000, 26_000);
        assertThat(FreePorts.range("fork-4")).containsExactly(29_000, 32_000);
        assertThat(FreePorts.range("fork-5")).containsExactly(20_000, 23_000);
    }

    @Test
    void a_jvm_outside_surefire_draws_from_the_whole_range() {
        assertThat(FreePorts.range(null)).containsExactly(20_000, 32_000);
        assertThat(FreePorts.range("fork-${surefire.forkNumber}")).containsExactly(20_000, 32_000);
        assertThat(FreePorts.range("fork-0")).containsExactly(20_000, 32_000);
    }

    @Test
    void this_test_jvm_is_told_its_fork_number_and_draws_from_its_slice() {
        String fork = System.getProperty("puente.test.fork");
        assertThat(fork).as("Surefire passes the fork number (pom.xml)").matches("fork-[1-9][0-9]*");
        int[] slice = FreePorts.range(fork);
        for (int i = 0; i < 20; i++) {
            assertThat(FreePorts.next()).isBetween(slice[0], slice[1] - 1);
        }
    }
}
