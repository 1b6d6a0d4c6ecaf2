package org.puente.routes.camel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.puente.certs.SamplePki;
import org.puente.model.Country;
import org.puente.routes.api.ApiRequest;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.StepFaults;

/**
 * One started US gateway shared by the route test classes of a test run (a gateway takes seconds
 * to start): real TLS listeners, the sample PKI, an embedded database, and no peer (its ports are
 * free ones nobody listens on, so every post is a road failure). Before its routes start, one-shot
 * fault points ({@link StepFaults}) are woven in front of the steps the error-handling tests break,
 * and spies in front of two agency handlers record what reaches them. JUnit closes it when the run ends.
 */
final class RouteTestGateway implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RouteTestGateway.class);
    private static volatile Started started;

    /** What reached an agency handler: the typed request and the message headers left on the exchange. */
    record Seen(ApiRequest request, Map<String, Object> headers) {
    }

    /** The running gateway and what the tests need around it. */
    static final class Started implements AutoCloseable {
        final Path dir;
        final SamplePki pki;
        final GatewayHarness us;
        final StepFaults faults = new StepFaults();
        final Map<String, Seen> seen = new ConcurrentHashMap<>();

        private Started() {
            try {
                dir = Files.createTempDirectory("puente-route-tests-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            pki = SamplePki.generate();
            pki.writeTo(dir.resolve("pki"), SamplePki.samplePassword());
            us = GatewayHarness.start(Country.US, dir.resolve("pki"), dir.resolve("us"), GatewayHarness.Ports.free(),
                    GatewayHarness.Ports.free(), Map.of("puente.dispatch.lease", "PT1S"), this::weave);
        }

        private void weave(CamelContext context) throws Exception {
            AdviceWith.adviceWith(context, "agency-submit",
                    a -> a.weaveById("agency-submit-handle").before().process(faults.at("agency-submit-handle")));
            AdviceWith.adviceWith(context, "work-peer-envelope", a -> {
                a.weaveById("work-peer-envelope-claim").before().process(faults.at("work-peer-envelope-claim"));
                a.weaveById("work-peer-envelope-run").before().process(faults.at("work-peer-envelope-run"));
            });
            AdviceWith.adviceWith(context, "agency-status",
                    a -> a.weaveById("agency-status-handle").before().process(spy("status")));
            AdviceWith.adviceWith(context, "agency-inbox",
                    a -> a.weaveById("agency-inbox-handle").before().process(spy("inbox")));
        }

        private Processor spy(String operation) {
            return (Exchange exchange) -> seen.put(operation, new Seen(exchange.getIn().getBody(ApiRequest.class),
                    new LinkedHashMap<>(exchange.getIn().getHeaders())));
        }

        /** A client of the agency listener holding the sample PKCS#12 {@code file} (e.g. {@code us/agency-cbp.p12}). */
        AgencyClient agencyClient(String file) {
            return new AgencyClient(dir.resolve("pki").resolve(file), SamplePki.samplePassword(),
                    dir.resolve("pki/us/root-ca.pem"), agencyBase());
        }

        String agencyBase() {
            return "https://localhost:" + us.ports().agency();
        }

        String peerBase() {
            return "https://localhost:" + us.ports().peer();
        }

        Path pkiFile(String file) {
            return dir.resolve("pki").resolve(file);
        }

        @Override
        public void close() {
            try {
                us.close();
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        started = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Started.class, k -> new Started(), Started.class);
    }

    static Started gateway() {
        if (started == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(RouteTestGateway.class)");
        }
        return started;
    }
}
