package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.puente.certs.SampleEndpoints;
import org.puente.certs.SamplePki;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;

/**
 * Two gateway JVMs per country, each country's pair on one PostgreSQL database: agencies submit to
 * both US instances at once, ANAM pulls from both Mexican instances, SAT takes its messages by
 * push, and one instance of each side is killed with SIGKILL mid-stream and restarted. Every
 * accepted message reaches its mailbox exactly once, SAT's endpoint is called once per message
 * (an answer lost to a kill may repeat one: counted), every delivery notice is recorded once,
 * suspension thrown through one instance stops the other, both audit chains verify and the
 * exports reconcile to zero.
 */
class TwoInstancesPerSideTest {
    static final Duration WAIT = Duration.ofMinutes(3);
    static final byte[] MANIFEST = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
    static final byte[] MRA_FOR_SAT = toSat(SampleMessages.named("partnership.mra-status.us-to-mx.json").orElseThrow().bytes());
    static GatewayCluster cluster;
    static HttpsServer satEndpoint;
    static final Map<String, AtomicInteger> PUSHES = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        SamplePki pki = SamplePki.generate();
        satEndpoint = endpoint(SampleEndpoints.localhostServer(pki, Country.MX, "sat-backend.sample"));
        // the crash rig's 30 s lease; a restarted instance takes its predecessor's claims back at once (by its name)
        Map<String, String> mx = new java.util.HashMap<>(CrashRig.LEASE);
        mx.put("puente.client.sat.push-url", "https://localhost:" + satEndpoint.getAddress().getPort() + "/puente");
        cluster = GatewayCluster.start("two-instances", 2, pki, Map.of(Country.US, CrashRig.LEASE, Country.MX, mx));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (satEndpoint != null) {
            satEndpoint.stop(0);
        }
    }

    @Test
    void every_message_arrives_once_through_two_instances_per_side_killed_mid_stream() throws Exception {
        Map<String, String> accepted = new ConcurrentHashMap<>();
        Set<String> forSat = ConcurrentHashMap.newKeySet();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean submitting = new AtomicBoolean(true);
        AtomicBoolean pulling = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            GatewayCluster.Instance us = cluster.instance(Country.US, 1 + t % 2);
            String prefix = "two-" + t + "-";
            threads.add(started(() -> {
                AgencyConnection cbp = us.agency("CBP");
                for (int n = 0; submitting.get(); n++) {
                    boolean sat = n % 4 == 0;
                    String id = submit(cbp, sat ? MRA_FOR_SAT : MANIFEST, prefix + n);
                    accepted.put(prefix + n, id);
                    if (sat) {
                        forSat.add(id);
                    }
                }
            }));
        }
        for (int i = 1; i <= 2; i++) {
            GatewayCluster.Instance mx = cluster.instance(Country.MX, i);
            threads.add(started(() -> pullAndAcknowledge(mx, pulling, acknowledged)));
        }
        awaitSize(accepted, 100);
        GatewayCluster.Instance us1 = cluster.instance(Country.US, 1);
        GatewayCluster.Instance mx2 = cluster.instance(Country.MX, 2);
        cluster.kill(us1);
        cluster.kill(mx2);
        awaitSize(accepted, accepted.size() + 60);
        assertThat(cluster.restart(us1, mx2)).as("restarted without taking their names").isEmpty();
        awaitSize(accepted, accepted.size() + 60);
        submitting.set(false);
        join(threads.subList(0, 4));

        Set<String> forAnam = new java.util.HashSet<>(accepted.values());
        forAnam.removeAll(forSat);
        assertThat(poll(() -> acknowledged.containsAll(forAnam) && pushed().containsAll(forSat)))
                .as("every message pulled or pushed").isTrue();
        pulling.set(false);
        join(threads);
        assertThat(poll(() -> delivered() >= accepted.size())).as("every delivery notice recorded by the sender").isTrue();

        try (Connection mx = cluster.database(Country.MX); Connection us = cluster.database(Country.US)) {
            assertThat(CrashRig.count(mx, "SELECT COUNT(*) FROM inbox")).as("each message once in the mailboxes")
                    .isEqualTo(accepted.size());
            assertThat(CrashRig.count(us, "SELECT COUNT(*) FROM outbox")).isEqualTo(accepted.size());
            assertThat(CrashRig.count(us, "SELECT COUNT(*) FROM (SELECT message_id FROM audit_event WHERE event = 'NOTICE_RECEIVED'"
                    + " GROUP BY message_id HAVING COUNT(*) > 1) t")).as("delivery notices recorded twice").isZero();
            assertThat(CrashRig.count(us, "SELECT COUNT(*) FROM outbox WHERE state = 'DELIVERED' AND delivery_notice IS NOT NULL"))
                    .isEqualTo(accepted.size());
        }
        long repeated = PUSHES.values().stream().filter(n -> n.get() > 1).count();
        System.out.printf("two instances per side: %d accepted (%d for SAT by push), SAT's endpoint called more than once"
                + " for %d of them (answers lost to the kill of %s)%n", accepted.size(), forSat.size(), repeated, mx2.name());
        assertThat(PUSHES.keySet()).containsAll(forSat);
        assertThat(repeated).as("pushes repeated: only those in flight when an instance was killed").isLessThanOrEqualTo(16);

        suspensionThrownThroughOneInstanceHoldsForTheOther();
        everyInstanceHoldsItsName();
        bothChainsVerifyAndReconcile();
    }

    /** Each instance, the restarted ones too, reports its name held in its readiness (the instance health check). */
    private void everyInstanceHoldsItsName() {
        for (Country country : Country.values()) {
            for (int i = 1; i <= 2; i++) {
                GatewayCluster.Instance instance = cluster.instance(country, i);
                com.fasterxml.jackson.databind.JsonNode check = instance.operator().get("/ops/v1/health/ready").json()
                        .path("checks").path("instance");
                assertThat(check.path("status").asText()).as(instance.name() + ": " + check).isEqualTo("UP");
                assertThat(check.path("detail").asText()).as(instance.name()).isEqualTo("holds its name " + i + " on the database");
            }
        }
    }

    private void suspensionThrownThroughOneInstanceHoldsForTheOther() throws Exception {
        GatewayCluster.Instance us1 = cluster.instance(Country.US, 1);
        GatewayCluster.Instance us2 = cluster.instance(Country.US, 2);
        assertThat(us1.operator().post("/ops/v1/delivery/suspend", "{\"reason\":\"two instances\"}".getBytes()).status())
                .isEqualTo(200);
        String held = submit(us2.agency("CBP"), MANIFEST, "two-held");
        CrashRig.pause(3000);
        try (Connection us = cluster.database(Country.US)) {
            assertThat(CrashRig.count(us, "SELECT COUNT(*) FROM outbox WHERE message_id = ? AND state = 'PENDING' AND attempts = 0",
                    held)).as("nothing sent by either instance while suspended").isEqualTo(1);
        }
        assertThat(us2.operator().post("/ops/v1/delivery/resume", "{}".getBytes()).status()).isEqualTo(200);
        assertThat(poll(() -> cluster.instance(Country.MX, 1).agency("ANAM").get("/api/v1/inbox/" + held).status() == 200))
                .as("sent once resumed through the other instance").isTrue();
    }

    private void bothChainsVerifyAndReconcile() {
        Instant now = Instant.now();
        Path us = export(Country.US, now);
        Path mx = export(Country.MX, now);
        AuditTrailTest.Run r = AuditTrailTest.puente("audit", "reconcile", us.toString(), mx.toString(),
                "--us-root", cluster.pki(Country.US, "root-ca.pem"), "--mx-root", cluster.pki(Country.MX, "root-ca.pem"));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("RECONCILED");
        for (Country c : Country.values()) {
            AuditTrailTest.Run v = AuditTrailTest.puente("audit", "verify", "--db", cluster.databases.get(c), "--db-user",
                    org.puente.engine.testing.EmbeddedPostgresServer.user(), "--signer",
                    "gateway." + c.name().toLowerCase() + ".puente.sample", "--trust", cluster.pki(c, "root-ca.pem"));
            assertThat(v.exit()).as(v.out() + v.err()).isZero();
            assertThat(v.out()).contains("VERIFIED");
        }
    }

    private Path export(Country c, Instant now) {
        Path out = cluster.work.resolve(c.name().toLowerCase() + "-export.jsonl");
        AuditTrailTest.Run r = AuditTrailTest.puente("audit", "export", "--gateway",
                "https://localhost:" + cluster.instance(c, 1).layout.opsPort(), "--cert", cluster.pki(c, "auditor.p12"),
                "--ca", cluster.pki(c, "root-ca.pem"), "--from", now.minus(Duration.ofDays(1)).toString(),
                "--to", now.plus(Duration.ofHours(1)).toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        return out;
    }

    /** Submits until a 202 (same key after any failure); the message id. */
    private static String submit(AgencyConnection cbp, byte[] document, String key) {
        while (true) {
            try {
                AgencyConnection.Answer a = cbp.submit(document, key);
                if (a.status() == 202) {
                    return a.json().get("messageId").asText();
                }
                assertThat(a.status()).as(a.text()).isIn(429, 503);
            } catch (RuntimeException e) {
                // the instance is down: the same key again
            }
            CrashRig.pause(50);
        }
    }

    private static void pullAndAcknowledge(GatewayCluster.Instance mx, AtomicBoolean pulling, Set<String> acknowledged) {
        while (pulling.get()) {
            try {
                AgencyConnection anam = mx.agency("ANAM");
                JsonNode page = anam.inbox(0, 100).json();
                for (JsonNode m : page.path("messages")) {
                    String id = m.get("messageId").asText();
                    if (anam.acknowledge(id).status() == 200) {
                        acknowledged.add(id);
                    }
                }
                if (page.path("messages").isEmpty()) {
                    CrashRig.pause(100);
                }
            } catch (RuntimeException e) {
                CrashRig.pause(200);
            }
        }
    }

    private static Set<String> pushed() {
        return PUSHES.keySet();
    }

    private static long delivered() {
        try (Connection us = cluster.database(Country.US)) {
            return CrashRig.count(us, "SELECT COUNT(*) FROM outbox WHERE state = 'DELIVERED'");
        } catch (java.sql.SQLException e) {
            return 0;
        }
    }

    private static boolean poll(java.util.function.BooleanSupplier done) {
        return Channels.poll(WAIT, () -> done.getAsBoolean() ? Optional.of(true) : Optional.empty()).isPresent();
    }

    private static void awaitSize(Map<String, String> accepted, int size) {
        assertThat(poll(() -> accepted.size() >= size)).as(size + " accepted").isTrue();
    }

    private static Thread started(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(120_000);
        }
    }

    /** SAT's endpoint: counts the POSTs of each message id, answers 204. */
    private static HttpsServer endpoint(SSLContext tls) throws Exception {
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                var p = tls.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        s.createContext("/puente", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                PUSHES.computeIfAbsent(exchange.getRequestHeaders().getFirst("Puente-Message-Id"), k -> new AtomicInteger())
                        .incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
            }
        });
        s.start();
        return s;
    }

    /** The sample partnership status, addressed to SAT (the catalogue allows CBP to SAT for this type). */
    private static byte[] toSat(byte[] sample) {
        ObjectNode doc = (ObjectNode) CanonicalJson.read(sample, JsonNode.class);
        ((ObjectNode) doc.get("receiver")).put("agency", "SAT");
        return CanonicalJson.bytes(doc);
    }
}
