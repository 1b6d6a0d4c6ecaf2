package org.puente.engine.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
    private static final Instant T = Instant.parse("2026-12-05T16:45:12.345678Z");

    @Test
    void an_id_is_a_version_7_uuid_of_the_ietf_variant_carrying_its_creation_millisecond() {
        UUID id = MessageIds.next(T);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).as("RFC 9562 variant 10xx").isEqualTo(2);
        assertThat(createdAt(id)).isEqualTo(Instant.parse("2026-12-05T16:45:12.345Z"));
        // RFC 9562 Appendix A.6 layout: the first 48 bits are the Unix time in milliseconds
        assertThat(id.toString()).startsWith(String.format("%08x-%04x-7", T.toEpochMilli() >>> 16, T.toEpochMilli() & 0xFFFF));
    }

    @Test
    void the_rfc_9562_example_reads_back_its_time() {
        // RFC 9562, Appendix A.6: 017F22E2-79B0-7CC3-98C4-DC0C0C07398F was made at 2022-02-22T19:22:22Z
        assertThat(createdAt(UUID.fromString("017f22e2-79b0-7cc3-98c4-dc0c0c07398f")))
                .isEqualTo(Instant.parse("2022-02-22T19:22:22Z"));
        assertThatThrownBy(() -> createdAt(UUID.randomUUID())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ids_of_later_milliseconds_sort_after_earlier_ones_as_text_and_as_uuids() {
        List<UUID> ids = new ArrayList<>();
        for (int ms = 0; ms < 1_000; ms++) {
            ids.add(MessageIds.next(T.plusMillis(ms)));
        }
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
        }
    }

    @Test
    void ids_of_the_same_millisecond_differ_in_74_random_bits() {
        Set<UUID> seen = new HashSet<>();
        long setA = 0;
        long setB = 0;
        long clearA = 0;
        long clearB = 0;
        for (int i = 0; i < 100_000; i++) {
            UUID id = MessageIds.next(T);
            assertThat(seen.add(id)).isTrue();
            long a = id.getMostSignificantBits() & 0x0FFFL;
            long b = id.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL;
            setA |= a;
            setB |= b;
            clearA |= ~a & 0x0FFFL;
            clearB |= ~b & 0x3FFF_FFFF_FFFF_FFFFL;
        }
        // every one of the 12 + 62 random bits was seen both set and clear
        assertThat(setA).isEqualTo(0x0FFFL);
        assertThat(clearA).isEqualTo(0x0FFFL);
        assertThat(setB).isEqualTo(0x3FFF_FFFF_FFFF_FFFFL);
        assertThat(clearB).isEqualTo(0x3FFF_FFFF_FFFF_FFFFL);
    }

    /** The creation time in milliseconds that {@code id}, a version 7 UUID, carries (RFC 9562, section 5.7). */
    private static Instant createdAt(UUID id) {
        if (id.version() != 7) {
            throw new IllegalArgumentException("not a version 7 UUID: " + id);
        }
        return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
    }
}
