package org.puente.engine.audit;

import org.puente.audit.verify.AuditVerification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.puente.certs.SamplePki;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.model.Country;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.CheckpointStore;
import org.puente.audit.store.Dialect;
import org.puente.audit.store.Jdbc;
import org.puente.engine.store.Transactions;
import org.puente.engine.testing.TestDatabase;

/**
 * A SAMPLE PKI of both countries (generated once per test JVM), the US gateway's message and
 * audit signers and the trust an auditor uses for its checkpoints, a way to fill a log with
 * recognisable events, and a way to tamper with it as someone with the database file or the
 * owner's rights would (past the database's own guards). Public: the routes tests verify the
 * chains their gateways write with the same trust.
 */
public final class AuditFixtures {
    public static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    public static final String US_GATEWAY = "gateway.us.puente.sample";
    /** The checkpoint interval of the fixtures' gateway (the default): entries may wait 15 minutes for a checkpoint. */
    public static final Duration INTERVAL = Duration.ofMinutes(5);
    private static Path pki;

    private AuditFixtures() {
    }

    public static synchronized Path pki() {
        if (pki == null) {
            try {
                pki = Files.createTempDirectory("puente-audit-pki-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            SamplePki.generate().writeTo(pki, SamplePki.samplePassword());
        }
        return pki;
    }

    public static KeyMaterial keys(Country c) {
        return KeyMaterial.load(pki().resolve(c.name().toLowerCase() + "/gateway.p12"), SamplePki.samplePassword());
    }

    /** The gateway's message key: what signs envelopes, receipts and notices (and must not sign the log). */
    public static StatementSigner signer(Country c) {
        return new StatementSigner(keys(c), AlgorithmProfile.DEFAULT);
    }

    /** The gateway's audit key: what signs checkpoints, exports and archives. */
    public static StatementSigner auditSigner(Country c) {
        return new StatementSigner(keys(c).auditSigning().orElseThrow(), AlgorithmProfile.DEFAULT);
    }

    /** What an auditor of {@code c} trusts: its own root, CRLs, the gateway's name, no age limit. */
    public static SignerTrust trust(Country c) {
        String lower = c.name().toLowerCase();
        return SignerTrust.builder()
                .roots(TrustMaterial.certificates(List.of(pki().resolve(lower + "/root-ca.pem")), null))
                .crls(TrustMaterial.crls(List.of(pki().resolve(lower + "/root-ca.crl.pem"),
                        pki().resolve(lower + "/issuing-ca.crl.pem"))))
                .expectedSignerName("gateway." + lower + ".puente.sample")
                .noAgeLimit()
                .build();
    }

    /** What an auditor of the US gateway checks with, today: a live log must have a recent checkpoint now. */
    public static AuditVerification verification() {
        return new AuditVerification(new StatementVerifier(AlgorithmProfile.DEFAULT), trust(Country.US));
    }

    /** The same, judging a live log's newest checkpoint as if it were {@code now} (certificates are judged today). */
    public static AuditVerification verificationAt(Instant now) {
        return new AuditVerification(new StatementVerifier(AlgorithmProfile.DEFAULT), trust(Country.US),
                new AuditVerification.Options(INTERVAL, null, false, Clock.fixed(now, ZoneOffset.UTC)));
    }

    /** The US gateway's checkpoints (audit key), signing as if it were {@code at}. */
    static AuditCheckpoints checkpoints(Transactions tx, Instant at) {
        return new AuditCheckpoints(tx, new AuditStore(), new CheckpointStore(), auditSigner(Country.US), US_GATEWAY,
                Country.US, INTERVAL, Clock.fixed(at, ZoneOffset.UTC),
                new AuditTree(tx, new AuditStore(), new org.puente.audit.store.TreeStore()));
    }

    /** The US gateway's exporter at {@code now}: verifies what it is about to sign, with the gateway's own check. */
    static AuditExporter exporter(Transactions tx, Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new AuditExporter(tx, new AuditStore(), new CheckpointStore(), checkpoints(tx, now),
                new AuditVerification(new StatementVerifier(AlgorithmProfile.DEFAULT), trust(Country.US),
                        new AuditVerification.Options(INTERVAL, null, true, clock)),
                auditSigner(Country.US), US_GATEWAY, Country.US, clock);
    }

    /**
     * Ten entries, one a minute from T0 + 1 min, with checkpoints at 4 (signed T0 + 4.5 min) and 10
     * (T0 + 10.5 min): the log most tampering tests start from.
     */
    static AuditLog tenEntries(TestDatabase db) {
        AuditLog audit = registered(db.tx(), db.database().dialect());
        write(db.tx(), audit, 1, 4);
        checkpoints(db.tx(), T0.plusSeconds(270)).checkpoint().orElseThrow();
        write(db.tx(), audit, 5, 6);
        checkpoints(db.tx(), T0.plusSeconds(630)).checkpoint().orElseThrow();
        return audit;
    }

    /** Writes {@code n} events, one unit each, event i at {@code T0 + i minutes} with detail "event i". */
    static void write(Transactions tx, AuditLog audit, int from, int n) {
        for (int i = from; i < from + n; i++) {
            AuditEvent e = new AuditEvent(T0.plusSeconds(60L * i), i % 2 == 0 ? AuditEventType.SENT : AuditEventType.STORED,
                    new AuditEvent.Subject(UUID.nameUUIDFromBytes(("m" + i).getBytes()), "corr-" + i, "cargo.manifest",
                            "US/CBP", "MX/ANAM", "CMAA-2000", "advance-cargo-risk-assessment", "COMMERCIAL_CONFIDENTIAL"),
                    new AuditEvent.Digests("ab".repeat(32), "cd".repeat(32)), US_GATEWAY,
                    new AuditEvent.Result(AuditEvent.OK, null, "event " + i));
            tx.write(c -> {
                audit.append(c, e);
                return null;
            });
        }
    }

    /** An audit log of the US gateway, registered with {@code tx} as the gateway registers it. */
    static AuditLog registered(Transactions tx, Dialect dialect) {
        AuditLog audit = new AuditLog(Country.US, dialect);
        tx.addParticipant(audit);
        return audit;
    }

    /** A statement behind the gateway's back, parameters bound as the stores bind them: the database's guards apply. */
    static void sql(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            ps.executeUpdate();
        }
    }

    /**
     * Tampering past the database's guards, as only someone with more than the gateway's rights can:
     * on SQLite whoever can write the file (the audit triggers are dropped, the statements run, the
     * triggers are put back, in one transaction); on PostgreSQL a superuser (triggers off for the
     * session with {@code session_replication_role}, the chained-row check dropped and put back).
     * What the verifier must then find.
     */
    static void tamper(TestDatabase db, String... statements) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                List<String> triggers = new ArrayList<>();
                if (db.kind() == TestDatabase.Kind.SQLITE) {
                    List<String> names = new ArrayList<>();
                    try (ResultSet rs = st.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                            + " AND tbl_name LIKE 'audit%'")) {
                        while (rs.next()) {
                            names.add(rs.getString(1));
                            triggers.add(rs.getString(2));
                        }
                    }
                    for (String name : names) {
                        st.execute("DROP TRIGGER " + name);
                    }
                } else {
                    st.execute("SET session_replication_role = replica");
                    st.execute("ALTER TABLE audit_event DROP CONSTRAINT ck_audit_event_chained");
                }
                for (String sql : statements) {
                    st.execute(sql);
                }
                if (db.kind() == TestDatabase.Kind.SQLITE) {
                    for (String trigger : triggers) {
                        st.execute(trigger);
                    }
                } else {
                    st.execute("ALTER TABLE audit_event ADD CONSTRAINT ck_audit_event_chained"
                            + " CHECK (seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL) NOT VALID");
                    st.execute("SET session_replication_role = origin");
                }
            }
            c.commit();
        }
    }
}
