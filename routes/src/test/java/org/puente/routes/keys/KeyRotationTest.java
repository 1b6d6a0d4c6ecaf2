package org.puente.routes.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.audit.StoredCheckpoint;
import org.puente.certs.IssuedCredential;
import org.puente.certs.SamplePki;
import org.puente.envelope.Fingerprints;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;

/**
 * Issue 16, point 3: every key of the US gateway (signing, encryption, TLS, audit) is rotated
 * while messages flow both ways, without a restart. The operator replaces the keystore with one
 * that holds only the new keys (the harder case: the old encryption key is gone from the file
 * while the peer may still be sealing to it) and asks for a reload; the gateway announces its new
 * encryption certificate over the peer link and the MX gateway adopts it. Nothing is lost or
 * refused, every new key is seen at work, and a restart with the new keystore alone opens the
 * database (its storage key was sealed again for the new keys).
 */
class KeyRotationTest {
    @TempDir
    Path dir;

    @Test
    void every_key_of_one_side_is_rotated_under_traffic_and_nothing_is_lost_or_refused() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            Traffic traffic = new Traffic(pair);
            Thread flow = new Thread(traffic, "traffic");
            flow.setDaemon(true);
            flow.start();
            try {
                rotateUnderTraffic(pair, traffic, flow);
            } finally {
                traffic.stop();
            }
        }
    }

    private void rotateUnderTraffic(GatewayPair pair, Traffic traffic, Thread flow) throws Exception {
        traffic.awaitAccepted(10);
        // the weakest moment: envelopes MX sealed to the old US key (sealing happens at acceptance)
        // are still in its outbox when the US gateway drops that key from its keystore and the
        // peer confirms the new one; MX's delivery is held until then, so they arrive after
        AgencyClient mxOperator = AgencyClient.sample(pair.pki, Country.MX, "operator", pair.mx.ports().ops());
        assertThat(mxOperator.post("/ops/v1/delivery/suspend", "{\"reason\":\"key rotation test\"}"
                .getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        int beforeHold = traffic.sent(Country.MX).size();
        traffic.awaitAccepted(traffic.accepted() + 10);
        assertThat(traffic.sent(Country.MX).size()).as("sealed to the old key, held in MX's outbox")
                .isGreaterThan(beforeHold);

        // issued after the keys in use (a CA issues new certificates later; the sample set's
        // notBefore is its generation time less the clock skew allowance)
        Map<String, IssuedCredential> renewed = pair.samplePki.renewGatewayKeys(Country.US,
                pair.samplePki.generatedAt().plusSeconds(60));
        replaceKeystore(pair.pki.resolve("us/gateway.p12"), renewed);
        HttpResponse<byte[]> reload = operator(pair).post("/ops/v1/keys/reload", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(reload.statusCode()).as(new String(reload.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode answer = json(reload.body());
        X509Certificate newEncryption = renewed.get("encryption").certificate();
        assertThat(answer.get("encryption").asText()).isEqualTo(Fingerprints.certificate(newEncryption));
        assertThat(answer.get("signing").asText()).isEqualTo(Fingerprints.certificate(renewed.get("signing").certificate()));
        assertThat(Poll.until(Duration.ofSeconds(30), () -> Optional.of(
                pair.mx.gateway().security().peerRecipient().certificate()).filter(newEncryption::equals))).isPresent();
        assertThat(answer.get("peerConfirmed").asBoolean()).isTrue();
        assertThat(mxOperator.post("/ops/v1/delivery/resume", "{}".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(200);
        int atAdoption = traffic.accepted();
        traffic.awaitAccepted(atAdoption + 10);
        traffic.stop();
        flow.join();

        assertThat(traffic.refusals()).as("submissions refused during the rotation").isEmpty();
        List<String> toMx = traffic.sent(Country.US);
        List<String> toUs = traffic.sent(Country.MX);
        assertThat(toMx).hasSizeGreaterThan(5);
        assertThat(toUs).hasSizeGreaterThan(5);
        awaitStored(pair.mx, toMx);
        awaitStored(pair.us, toUs);
        assertThat(pair.us.count("SELECT COUNT(*) FROM work WHERE state = 'DEAD'")).isZero();
        assertThat(pair.mx.count("SELECT COUNT(*) FROM work WHERE state = 'DEAD'")).isZero();

        // the new keys at work: MX seals to the new encryption key, the US receipts carry the new
        // signing key, the US listeners present the new TLS certificate, its checkpoints the new audit key
        String lastToUs = toUs.get(toUs.size() - 1);
        assertThat(recipientIsFor(pair.mx.bytes("SELECT envelope FROM outbox WHERE message_id = ?", lastToUs),
                newEncryption)).isTrue();
        assertThat(signer(pair.us.bytes("SELECT receipt FROM inbox WHERE message_id = ?", lastToUs)))
                .isEqualTo(renewed.get("signing").certificate());
        assertThat(serverCertificate(pair, pair.us.ports().ops())).isEqualTo(renewed.get("tls").certificate());
        StoredCheckpoint checkpoint = pair.us.gateway().audit().checkpoints().checkpoint().orElseThrow();
        assertThat(signer(checkpoint.statement())).isEqualTo(renewed.get("audit").certificate());

        assertThat(pair.us.count("SELECT COUNT(*) FROM audit_event WHERE event = 'KEYS_RELOADED' AND outcome = 'OK'"))
                .isEqualTo(1);
        assertThat(Poll.until(Duration.ofSeconds(30), () -> Optional.of(pair.us.count(
                "SELECT COUNT(*) FROM audit_event WHERE event = 'KEY_ANNOUNCED'")).filter(n -> n == 1))).isPresent();
        assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'PEER_KEY_ADOPTED' AND outcome = 'OK'"
                + " AND detail LIKE ?", "%" + Fingerprints.certificate(newEncryption) + "%")).isEqualTo(1);
        assertThat(pair.mx.count("SELECT COUNT(*) FROM peer_key")).isEqualTo(1);

        // a restart with the new keystore alone: the storage key was sealed again for the new keys
        pair.us.close();
        try (GatewayHarness restarted = GatewayHarness.start(Country.US, pair.pki, dir.resolve("us"), pair.us.ports(),
                pair.mx.ports(), Map.of())) {
            assertThat(restarted.gateway().security().keys().encryptionCertificates()).containsExactly(newEncryption);
            AgencyClient cbp = AgencyClient.sample(pair.pki, Country.US, "agency-cbp", restarted.ports().agency());
            assertThat(cbp.get("/api/v1/inbox/" + lastToUs + "/payload").statusCode()).isEqualTo(200);
        }
    }

    /** The US keystore file replaced at once (write beside, then rename) by one holding only the new keys. */
    static void replaceKeystore(Path keystore, Map<String, IssuedCredential> keys) throws IOException {
        Path next = keystore.resolveSibling("gateway.p12.next");
        Files.write(next, SamplePki.keystore(keys, SamplePki.samplePassword()));
        Files.move(next, keystore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static AgencyClient operator(GatewayPair pair) {
        return AgencyClient.sample(pair.pki, Country.US, "operator", pair.us.ports().ops());
    }

    private static void awaitStored(GatewayHarness receiver, List<String> ids) {
        for (String id : ids) {
            assertThat(Poll.until(Duration.ofSeconds(60), () -> Optional.of(receiver.count(
                    "SELECT COUNT(*) FROM inbox WHERE message_id = ?", id)).filter(n -> n == 1))).as(id).isPresent();
        }
    }

    private static boolean recipientIsFor(byte[] envelope, X509Certificate cert) throws Exception {
        X509CertificateHolder holder = new X509CertificateHolder(cert.getEncoded());
        for (RecipientInformation r : new CMSAuthEnvelopedData(envelope).getRecipientInfos().getRecipients()) {
            if (r.getRID().match(holder)) {
                return true;
            }
        }
        return false;
    }

    private static X509Certificate signer(byte[] cms) throws Exception {
        CMSSignedData signed = new CMSSignedData(cms);
        SignerInformation si = signed.getSignerInfos().getSigners().iterator().next();
        @SuppressWarnings("unchecked")
        X509CertificateHolder holder = (X509CertificateHolder) signed.getCertificates().getMatches(si.getSID())
                .iterator().next();
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder);
    }

    private static X509Certificate serverCertificate(GatewayPair pair, int port) throws IOException {
        javax.net.ssl.SSLContext tls = AgencyClient.context(pair.samplePki.us().operator(), pair.samplePki.us());
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    static JsonNode json(byte[] body) {
        try {
            return CanonicalJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Manifests from CBP to ANAM and back, one after the other, until stopped; every answer that is not 202 is kept. */
    static final class Traffic implements Runnable {
        private final AgencyClient cbp;
        private final AgencyClient anam;
        private final byte[] southbound;
        private final byte[] northbound;
        private final List<String> toMx = Collections.synchronizedList(new ArrayList<>());
        private final List<String> toUs = Collections.synchronizedList(new ArrayList<>());
        private final List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);

        Traffic(GatewayPair pair) {
            this.cbp = pair.agencyClient(pair.us, "agency-cbp");
            this.anam = pair.agencyClient(pair.mx, "agency-anam");
            this.southbound = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
            this.northbound = SampleMessages.named("cargo.manifest.mx-to-us.json").orElseThrow().bytes();
        }

        @Override
        public void run() {
            while (running.get()) {
                submit(cbp, southbound, toMx);
                submit(anam, northbound, toUs);
            }
        }

        private void submit(AgencyClient client, byte[] document, List<String> ids) {
            try {
                HttpResponse<byte[]> r = client.post("/api/v1/messages", document);
                if (r.statusCode() == 202) {
                    ids.add(json(r.body()).get("messageId").asText());
                } else {
                    refusals.add(r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
                }
            } catch (RuntimeException e) {
                refusals.add(e.toString());
            }
        }

        int accepted() {
            return toMx.size() + toUs.size();
        }

        void awaitAccepted(int n) {
            assertThat(Poll.until(Duration.ofSeconds(60), () -> Optional.of(accepted()).filter(a -> a >= n))).isPresent();
        }

        void stop() {
            running.set(false);
        }

        List<String> refusals() {
            return List.copyOf(refusals);
        }

        List<String> sent(Country from) {
            return List.copyOf(from == Country.US ? toMx : toUs);
        }
    }
}
