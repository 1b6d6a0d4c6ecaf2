package org.puente.engine.audit;

import org.puente.audit.verify.AuditVerification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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

/**
 * A SAMPLE PKI of both countries (generated once per test JVM), the US gateway's signer and the
 * trust an auditor uses for its checkpoints, and a way to fill a log with recognisable events.
 * Public: the routes tests verify the chains their gateways write with the same trust.
 */
public final class AuditFixtures {
    public static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    public static final String US_GATEWAY = "gateway.us.puente.sample";
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

    public static StatementSigner signer(Country c) {
        return new StatementSigner(keys(c), AlgorithmProfile.DEFAULT);
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

    public static AuditVerification verification() {
        return new AuditVerification(new StatementVerifier(AlgorithmProfile.DEFAULT), trust(Country.US));
    }

    static AuditCheckpoints checkpoints(Transactions tx) {
        return new AuditCheckpoints(tx, new AuditStore(), new CheckpointStore(), signer(Country.US), US_GATEWAY, Country.US,
                Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
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

    /** A statement behind the gateway's back (tampering), parameters bound as the stores bind them. */
    static void sql(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            ps.executeUpdate();
        }
    }
}
