package org.puente.cli.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuMeterTest {
    @Test
    void counts_the_cpu_a_process_spent_between_start_and_now() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; exec sleep 60").start();
        CpuMeter meter = new CpuMeter(Map.of("US", child.pid())).start();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < 200; i++) {
            block[0] = sha.digest(block)[0];
        }
        Map<String, Duration> used;
        try {
            used = meter.used();
        } finally {
            child.destroy();
        }

        assertThat(used.get("client")).isPositive();
        assertThat(used.get("US")).isNotNull();
        assertThat(used.get("US").isNegative()).isFalse();
    }

    @Test
    void prints_each_process_per_message_and_the_clients_share() {
        Map<String, Duration> used = new LinkedHashMap<>();
        used.put("client", Duration.ofMillis(200));
        used.put("US", Duration.ofMillis(500));
        used.put("MX", Duration.ofMillis(300));
        StringWriter text = new StringWriter();

        CpuMeter.print(new PrintWriter(text, true), used, 100);

        assertThat(text.toString().trim()).isEqualTo(
                "CPU per message (user + system): 10.00 ms in all, client 2.00 ms, US 5.00 ms, MX 3.00 ms"
                        + " (the load client took 20 % of it)");
    }
}
