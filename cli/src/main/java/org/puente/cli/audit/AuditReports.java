package org.puente.cli.audit;

import java.io.PrintWriter;
import org.puente.cli.exit.ExitCodes;
import org.puente.audit.verify.ChainBreak;
import org.puente.audit.verify.ChainReport;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditHash;

/** How {@code puente audit} prints what it proved, and the entries of a message's story. */
final class AuditReports {
    private AuditReports() {
    }

    /** Prints a chain report; returns the exit code it deserves. */
    static int chain(PrintWriter out, ChainReport r) {
        if (r.entries() == 0) {
            out.printf("chain: no entry checked%s%n", r.lastSeq() > 0 ? " (the log continues after entry " + r.lastSeq() + ")" : "");
        } else {
            out.printf("chain: entries %d to %d (%d entries), last hash %s%n", r.firstSeq(), r.lastSeq(), r.entries(),
                    r.lastHash());
        }
        out.printf("checkpoints: %d verified, chained and on time%s%n", r.checkpoints(), r.latestCheckpointSeq() > 0
                ? ", latest at entry " + r.latestCheckpointSeq() + " signed " + r.latestCheckpointAt() : "");
        r.notes().forEach(n -> out.println("note: " + n));
        if (r.firstBreak().isPresent()) {
            ChainBreak b = r.firstBreak().get();
            out.printf("BROKEN at entry %d (%s): %s%n", b.seq(), b.kind(), b.detail());
            return ExitCodes.INVALID;
        }
        out.println("VERIFIED: every entry is in place and unchanged, and every checkpoint signature holds.");
        return ExitCodes.OK;
    }

    static String header() {
        return String.format("%-8s %-27s %-3s %-16s %-8s %-14s %s", "entry", "at", "gw", "event", "outcome", "code", "actor / detail");
    }

    static String line(AuditEntry entry) {
        AuditEvent e = entry.event();
        String detail = e.detail() == null ? "" : " / " + e.detail();
        return String.format("%-8d %-27s %-3s %-16s %-8s %-14s %s%s", entry.seq(), AuditHash.time(e.at()), entry.country(),
                e.event(), e.outcome(), e.errorCode() == null ? "-" : e.errorCode(), e.actor(), detail);
    }
}
