package org.puente.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.testing.StoreFixtures.T0;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.puente.audit.store.Jdbc;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;

/**
 * One text of every statement for both databases rests on how {@link Jdbc} binds times and ids:
 * an instant comes back at microsecond precision, and on SQLite, which stores it as text, text
 * order must be time order (claims, expiry sweeps and retention compare and sort times in SQL).
 */
class JdbcTest {
    /** Instants whose text forms differ where a careless format would misorder them. */
    private static final List<Instant> AWKWARD = List.of(
            T0,
            T0.plusNanos(1_000),
            T0.minusNanos(1_000),
            T0.plusMillis(100),
            T0.plusNanos(100_000_001),
            T0.plusSeconds(1).minusNanos(1_000),
            T0.plusSeconds(59),
            T0.plusSeconds(3600 * 10),
            Instant.parse("2026-11-28T09:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            Instant.parse("1999-12-31T23:59:59.999999Z"),
            Instant.parse("1969-12-31T23:59:59.999999Z"),
            Instant.parse("1970-01-01T00:00:00Z"));

    @Test
    void an_instant_is_bound_as_fixed_width_utc_text_with_six_fraction_digits() {
        assertThat(Jdbc.time(T0)).isEqualTo("2026-11-28T12:00:00.000000Z");
        assertThat(Jdbc.time(T0.plusNanos(123_456_789))).isEqualTo("2026-11-28T12:00:00.123456Z");
        assertThat(Jdbc.time(T0.plusMillis(100))).isEqualTo("2026-11-28T12:00:00.100000Z");
        assertThat(AWKWARD).extracting(Jdbc::time).allSatisfy(t -> assertThat(t).hasSize(27));
    }

    @Test
    void text_order_of_bound_instants_is_time_order() {
        List<Instant> byTime = new ArrayList<>(AWKWARD);
        byTime.sort(Comparator.naturalOrder());
        List<String> texts = new ArrayList<>(AWKWARD.stream().map(Jdbc::time).toList());
        texts.sort(Comparator.naturalOrder());

        assertThat(texts).containsExactlyElementsOf(byTime.stream().map(Jdbc::time).toList());
    }

    @OnBothDatabases
    void an_instant_comes_back_from_the_database_at_microsecond_precision(TestDatabase db) throws SQLException {
        Instant precise = T0.plusNanos(123_456_789);
        try (Connection c = db.connection()) {
            insert(c, "precise", precise);
            insert(c, "micro", T0.plusNanos(1_000));

            assertThat(read(c, "precise")).isEqualTo(T0.plusNanos(123_456_000));
            assertThat(read(c, "micro")).isEqualTo(T0.plusNanos(1_000));
            assertThat(read(c, "precise")).isEqualTo(precise.truncatedTo(ChronoUnit.MICROS));
        }
    }

    @OnBothDatabases
    void times_sort_and_compare_in_sql_as_the_instants_do(TestDatabase db) throws SQLException {
        try (Connection c = db.connection()) {
            for (int i = 0; i < AWKWARD.size(); i++) {
                insert(c, "t" + i, AWKWARD.get(i));
            }
            // what is stored and compared: every instant at microseconds
            List<Instant> sorted = new ArrayList<>(AWKWARD.stream().map(t -> t.truncatedTo(ChronoUnit.MICROS)).toList());
            sorted.sort(Comparator.naturalOrder());

            assertThat(instants(c, "SELECT changed_at FROM control ORDER BY changed_at")).containsExactlyElementsOf(sorted);
            for (Instant bound : AWKWARD) {
                Instant pivot = bound.truncatedTo(ChronoUnit.MICROS);
                List<Instant> before = sorted.stream().filter(t -> t.isBefore(pivot)).toList();
                List<Instant> atOrBefore = sorted.stream().filter(t -> !t.isAfter(pivot)).toList();
                assertThat(instants(c, "SELECT changed_at FROM control WHERE changed_at < ? ORDER BY changed_at", bound))
                        .as("< " + bound).containsExactlyElementsOf(before);
                assertThat(instants(c, "SELECT changed_at FROM control WHERE changed_at <= ? ORDER BY changed_at", bound))
                        .as("<= " + bound).containsExactlyElementsOf(atOrBefore);
            }
            assertThat(instants(c, "SELECT MIN(changed_at) FROM control")).containsExactly(sorted.get(0));
        }
    }

    @OnBothDatabases
    void an_id_is_bound_as_text_and_read_back_as_the_same_uuid(TestDatabase db) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO message_status (message_id, status, at) VALUES (?,?,?)")) {
                Jdbc.bind(ps, id, "ACCEPTED", T0);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT message_id FROM message_status WHERE message_id = ?")) {
                Jdbc.bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(Jdbc.uuid(rs, "message_id")).isEqualTo(id);
                }
            }
        }
    }

    private static void insert(Connection c, String name, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO control (name, value, changed_at) VALUES (?,?,?)")) {
            Jdbc.bind(ps, name, "RUNNING", at);
            ps.executeUpdate();
        }
    }

    private static Instant read(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT changed_at FROM control WHERE name = ?")) {
            Jdbc.bind(ps, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Jdbc.instant(rs, "changed_at");
            }
        }
    }

    private static List<Instant> instants(Connection c, String sql, Object... params) throws SQLException {
        List<Instant> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Jdbc.instant(rs, 1));
                }
            }
        }
        return out;
    }
}
