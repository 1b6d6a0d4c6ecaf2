package org.puente.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.soap.v1.Agency;
import org.puente.routes.soap.v1.SubmitRequest;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.Poll;
import org.puente.routes.testing.SoapAgencyClient;

/**
 * A rough measurement, not a test (its name keeps it out of the default suite): one client
 * submitting the 4 KB sample manifest one after the other over REST, over SOAP, and as files
 * through the drop folder, to one gateway in this JVM. Run with
 * {@code ./mvnw -B -pl routes -am test -Dtest=ChannelThroughputMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ChannelThroughputMeasurement {
    static final int N = 300;

    @TempDir
    static Path dir;
    static GatewayHarness us;
    static AgencyClient rest;
    static Agency soap;
    static Path inbound;

    @BeforeAll
    static void start() {
        Path pki = dir.resolve("pki");
        SamplePki.generate().writeTo(pki, SamplePki.samplePassword());
        GatewayHarness.Ports ports = GatewayHarness.Ports.free();
        inbound = dir.resolve("cbp-in");
        us = GatewayHarness.start(Country.US, pki, dir.resolve("us"), ports, GatewayHarness.Ports.free(), Map.of(
                "puente.client.cbp.drop.inbound", inbound.toString(), "puente.drop.poll-interval", "PT0.1S"));
        rest = AgencyClient.sample(pki, Country.US, "agency-cbp", ports.agency());
        soap = SoapAgencyClient.port(pki.resolve("us/agency-cbp.p12"), SamplePki.samplePassword(), pki.resolve("us/root-ca.pem"),
                ports.agency(), null);
    }

    @AfterAll
    static void stop() {
        if (us != null) {
            us.close();
        }
    }

    @Test
    void measure() throws Exception {
        byte[] doc = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        SubmitRequest req = new SubmitRequest();
        req.setDocument(new String(doc, StandardCharsets.UTF_8));
        for (int i = 0; i < 50; i++) {
            assertThat(rest.post("/api/v1/messages", doc).statusCode()).isEqualTo(202);
            soap.submit(req);
        }
        long[] restNanos = new long[N];
        for (int i = 0; i < N; i++) {
            long t = System.nanoTime();
            assertThat(rest.post("/api/v1/messages", doc).statusCode()).isEqualTo(202);
            restNanos[i] = System.nanoTime() - t;
        }
        long[] soapNanos = new long[N];
        for (int i = 0; i < N; i++) {
            long t = System.nanoTime();
            soap.submit(req);
            soapNanos[i] = System.nanoTime() - t;
        }
        long t = System.nanoTime();
        for (int i = 0; i < N; i++) {
            Path tmp = inbound.resolve("f" + i + ".json.tmp");
            Files.write(tmp, doc);
            Files.move(tmp, inbound.resolve("f" + i + ".json"));
        }
        Path last = inbound.resolve("processed");
        Optional<Long> done = Poll.until(Duration.ofMinutes(5), () -> {
            try (var s = Files.list(last)) {
                return s.filter(p -> p.toString().endsWith(".receipt.json")).count() == N ? Optional.of(System.nanoTime())
                        : Optional.empty();
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
        });
        assertThat(done).isPresent();
        double dropSeconds = (done.get() - t) / 1e9;
        System.out.printf("MEASURED %d sequential submissions of a %d-byte manifest, one client, one gateway in-JVM:%n", N,
                doc.length);
        System.out.printf("MEASURED REST  median %.2f ms, p90 %.2f ms, %.0f/s%n", pct(restNanos, 50), pct(restNanos, 90),
                N / (Arrays.stream(restNanos).sum() / 1e9));
        System.out.printf("MEASURED SOAP  median %.2f ms, p90 %.2f ms, %.0f/s%n", pct(soapNanos, 50), pct(soapNanos, 90),
                N / (Arrays.stream(soapNanos).sum() / 1e9));
        System.out.printf("MEASURED drop  %d files dropped at once, all filed with receipts in %.2f s (%.0f files/s, scan every 0.1 s)%n",
                N, dropSeconds, N / dropSeconds);
    }

    static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }
}
