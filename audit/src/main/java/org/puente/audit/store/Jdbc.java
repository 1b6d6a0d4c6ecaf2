package org.puente.audit.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Parameter and column conversions that behave the same on SQLite and PostgreSQL, so that the
 * stores share one text of every statement.
 *
 * <p>Implementation note: SQLite has no time or UUID types. Times are bound as fixed-width UTC
 * text with microseconds ({@code 2026-12-04T11:58:33.123456Z}), which sorts and compares as
 * text in the same order as the instants; PostgreSQL reads the same text into its
 * {@code timestamptz} and {@code uuid} columns because its connections send text parameters
 * untyped ({@code stringtype=unspecified}, set by the engine's {@code Database}). Reading accepts
 * both representations.
 */
public final class Jdbc {
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private Jdbc() {
    }

    public static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                ps.setString(i + 1, time(instant));
            } else if (p instanceof UUID id) {
                ps.setString(i + 1, id.toString());
            } else if (p instanceof byte[] bytes) {
                ps.setBytes(i + 1, bytes);
            } else if (p instanceof Enum<?> e) {
                ps.setString(i + 1, e.name());
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    /** The stored text of an instant (microsecond precision, UTC). */
    public static String time(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Object o = rs.getObject(column);
        if (o == null) {
            return null;
        }
        if (o instanceof String s) {
            return OffsetDateTime.parse(s.replace(' ', 'T')).toInstant();
        }
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    public static Instant instant(ResultSet rs, int column) throws SQLException {
        Object o = rs.getObject(column);
        if (o == null) {
            return null;
        }
        if (o instanceof String s) {
            return OffsetDateTime.parse(s.replace(' ', 'T')).toInstant();
        }
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    public static UUID uuid(ResultSet rs, String column) throws SQLException {
        String s = rs.getString(column);
        return s == null ? null : UUID.fromString(s);
    }
}
