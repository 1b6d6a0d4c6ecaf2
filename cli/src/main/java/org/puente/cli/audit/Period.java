package org.puente.cli.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** A period on the command line: {@code --day 2026-11-28}, or {@code --from} and {@code --to} (dates or instants, UTC). */
final class Period {
    private Period() {
    }

    static Instant[] of(CommandLine cl, LocalDate day, String from, String to) {
        if (day != null) {
            if (from != null || to != null) {
                throw new CommandLine.ParameterException(cl, "Give --day, or --from and --to, not both.");
            }
            Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            return new Instant[] {start, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()};
        }
        if (from == null || to == null) {
            throw new CommandLine.ParameterException(cl, "Give --day, or both --from and --to.");
        }
        Instant a = instant(cl, "--from", from);
        Instant b = instant(cl, "--to", to);
        if (!a.isBefore(b)) {
            throw new CommandLine.ParameterException(cl, "--from must be before --to.");
        }
        return new Instant[] {a, b};
    }

    static Instant instant(CommandLine cl, String option, String v) {
        try {
            return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(cl, option + " takes a date (2026-11-28) or an instant (2026-11-28T06:00:00Z): " + v);
        }
    }
}
