package org.puente.system;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.puente.model.Country;

/**
 * What a crash run left behind, checked against every promise: each accepted message is in the
 * receiving mailbox (none lost), listed once (none duplicated); every receipt the sender holds is
 * the one the receiver stored with the same envelope; no idempotency key became two messages;
 * every acknowledgement reached the sender as a kept delivery notice, recorded once; both audit
 * chains verify from their databases, and the two countries' exports reconcile to zero.
 */
final class CrashFindings {
    final Map<String, Object> figures = new LinkedHashMap<>();
    final List<String> lost = new ArrayList<>();
    final List<String> duplicated = new ArrayList<>();
    final List<String> receiptsWithoutRow = new ArrayList<>();
    final List<String> keyProblems = new ArrayList<>();
    final List<String> noticeProblems = new ArrayList<>();
    final List<String> auditProblems = new ArrayList<>();

    /** Exports and reconciles while the gateways run, then stops them and reads their databases. */
    static CrashFindings of(CrashRig rig) throws SQLException {
        CrashFindings f = new CrashFindings();
        f.figures.putAll(rig.summary());
        f.reconcile(rig);
        rig.exchange.close();
        try (Connection us = rig.exchange.database(Country.US); Connection mx = rig.exchange.database(Country.MX)) {
            f.checkMailbox(rig, mx);
            f.checkReceipts(us, mx);
            f.checkKeys(rig, us);
            f.checkNotices(rig, us);
        }
        f.verifyChain(rig, Country.US);
        f.verifyChain(rig, Country.MX);
        f.figures.put("lost", f.lost.size());
        f.figures.put("duplicated", f.duplicated.size());
        f.figures.put("receiptsWithoutRow", f.receiptsWithoutRow.size());
        f.figures.put("keyProblems", f.keyProblems.size());
        f.figures.put("noticeProblems", f.noticeProblems.size());
        f.figures.put("auditProblems", f.auditProblems.size());
        return f;
    }

    /** Where the accepted messages ANAM has not acknowledged are (the first few), read from the stopped gateways. */
    List<String> pending(CrashRig rig) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection us = rig.exchange.database(Country.US); Connection mx = rig.exchange.database(Country.MX)) {
            for (String id : rig.acceptedIds()) {
                if (rig.acknowledged.contains(id) || out.size() >= 10) {
                    continue;
                }
                out.add(id + " US " + one(us, "SELECT state || ' attempts ' || attempts || ' ' || COALESCE(last_error_code, '')"
                        + " FROM outbox WHERE message_id = ?", id) + " / job " + one(us, "SELECT state || ' attempts ' || attempts"
                        + " || ' run_at ' || run_at FROM work WHERE ref = ?", id) + " / MX " + one(mx,
                        "SELECT state FROM inbox WHERE message_id = ?", id));
            }
        }
        return out;
    }

    private static String one(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? String.valueOf(rs.getObject(1)) : "-";
            }
        }
    }

    private void checkMailbox(CrashRig rig, Connection mx) throws SQLException {
        Set<String> stored = strings(mx, "SELECT message_id FROM inbox");
        for (String id : rig.acceptedIds()) {
            if (!stored.contains(id)) {
                lost.add(id);
            }
        }
        rig.listedAt.forEach((id, seqs) -> {
            if (seqs.size() > 1) {
                duplicated.add(id + " listed at " + seqs);
            }
        });
        if (CrashRig.count(mx, "SELECT COUNT(*) FROM inbox") != stored.size()) {
            duplicated.add("the inbox holds a message id twice");
        }
    }

    private void checkReceipts(Connection us, Connection mx) throws SQLException {
        Map<String, byte[][]> received = new HashMap<>();
        try (PreparedStatement ps = mx.prepareStatement("SELECT message_id, envelope_sha256, receipt FROM inbox");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                received.put(rs.getString(1), new byte[][] {rs.getBytes(2), rs.getBytes(3)});
            }
        }
        int held = 0;
        try (PreparedStatement ps = us.prepareStatement("SELECT message_id, envelope_sha256, receipt FROM outbox"
                + " WHERE state IN ('RECEIPTED', 'DELIVERED')"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                held++;
                byte[][] there = received.get(rs.getString(1));
                if (there == null) {
                    receiptsWithoutRow.add(rs.getString(1) + ": receipted, not in the receiver's inbox");
                } else if (!java.util.Arrays.equals(there[0], rs.getBytes(2)) || !java.util.Arrays.equals(there[1], rs.getBytes(3))) {
                    receiptsWithoutRow.add(rs.getString(1) + ": the receipt held is not the one stored with that envelope");
                }
            }
        }
        figures.put("receiptsHeld", held);
    }

    private void checkKeys(CrashRig rig, Connection us) throws SQLException {
        keyProblems.addAll(rig.conflicts);
        Map<String, String> byKey = new HashMap<>();
        Map<String, Integer> rowsPerKey = new HashMap<>();
        try (PreparedStatement ps = us.prepareStatement("SELECT idempotency_key, message_id FROM outbox WHERE submitter = 'CBP'"
                + " AND idempotency_key IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byKey.put(rs.getString(1), rs.getString(2));
                rowsPerKey.merge(rs.getString(1), 1, Integer::sum);
            }
        }
        rig.accepted.forEach((key, id) -> {
            if (!id.equals(byKey.get(key))) {
                keyProblems.add(key + ": answered " + id + ", stored " + byKey.get(key));
            }
        });
        rowsPerKey.forEach((key, n) -> {
            if (n > 1) {
                keyProblems.add(key + ": " + n + " messages");
            }
        });
    }

    private void checkNotices(CrashRig rig, Connection us) throws SQLException {
        Set<String> delivered = strings(us, "SELECT message_id FROM outbox WHERE state = 'DELIVERED' AND delivery_notice IS NOT NULL");
        for (String id : rig.acknowledged) {
            if (!delivered.contains(id)) {
                noticeProblems.add(id + ": acknowledged by ANAM, no delivery notice kept by the sender");
            }
        }
        long twice = CrashRig.count(us, "SELECT COUNT(*) FROM (SELECT message_id FROM audit_event WHERE event = 'NOTICE_RECEIVED'"
                + " GROUP BY message_id HAVING COUNT(*) > 1) t");
        if (twice > 0) {
            noticeProblems.add(twice + " messages with their delivery notice recorded more than once");
        }
        figures.put("noticesKept", delivered.size());
    }

    private void reconcile(CrashRig rig) {
        Instant now = Instant.now();
        Path us = export(rig, Country.US, now);
        Path mx = export(rig, Country.MX, now);
        AuditTrailTest.Run r = AuditTrailTest.puente("audit", "reconcile", us.toString(), mx.toString(),
                "--us-root", pki(rig, Country.US, "root-ca.pem"), "--mx-root", pki(rig, Country.MX, "root-ca.pem"));
        if (r.exit() != 0 || !r.out().contains("RECONCILED")) {
            auditProblems.add("reconcile: exit " + r.exit() + "\n" + r.out() + r.err());
        }
    }

    private Path export(CrashRig rig, Country c, Instant now) {
        Path out = rig.work().resolve("crash-" + c.name().toLowerCase(Locale.ROOT) + ".jsonl");
        AuditTrailTest.Run r = AuditTrailTest.puente("audit", "export", "--gateway",
                "https://localhost:" + rig.exchange.layout(c).opsPort(), "--cert", pki(rig, c, "auditor.p12"),
                "--ca", pki(rig, c, "root-ca.pem"), "--from", now.minus(Duration.ofDays(1)).toString(),
                "--to", now.plus(Duration.ofHours(1)).toString(), "--out", out.toString());
        if (r.exit() != 0) {
            auditProblems.add("export of " + c + ": exit " + r.exit() + " " + r.out() + r.err());
        }
        return out;
    }

    private void verifyChain(CrashRig rig, Country c) {
        List<String> args = new ArrayList<>(List.of("audit", "verify"));
        args.addAll(rig.exchange.databaseOptions(c));
        args.addAll(List.of("--signer", "gateway." + c.name().toLowerCase(Locale.ROOT) + ".puente.sample",
                "--trust", pki(rig, c, "root-ca.pem")));
        AuditTrailTest.Run r = AuditTrailTest.puente(args.toArray(String[]::new));
        if (r.exit() != 0 || !r.out().contains("VERIFIED")) {
            auditProblems.add("verify " + c + ": exit " + r.exit() + "\n" + r.out() + r.err());
        }
    }

    private static String pki(CrashRig rig, Country c, String file) {
        return rig.exchange.layout(c).pki().resolve(SystemExchange.lower(c)).resolve(file).toString();
    }

    private static Set<String> strings(Connection c, String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return figures + (lost.isEmpty() ? "" : "\n lost: " + lost) + (duplicated.isEmpty() ? "" : "\n duplicated: " + duplicated)
                + (receiptsWithoutRow.isEmpty() ? "" : "\n receipts: " + receiptsWithoutRow)
                + (keyProblems.isEmpty() ? "" : "\n keys: " + keyProblems)
                + (noticeProblems.isEmpty() ? "" : "\n notices: " + noticeProblems)
                + (auditProblems.isEmpty() ? "" : "\n audit: " + auditProblems);
    }
}
