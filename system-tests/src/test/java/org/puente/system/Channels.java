package org.puente.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.xml.ws.BindingProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.transport.http.HTTPConduit;
import org.puente.certs.SamplePki;
import org.puente.cli.agency.AgencyConnection;
import org.puente.cli.demo.GatewayLayout;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.system.soapclient.Agency;
import org.puente.system.soapclient.AgencyService;

/**
 * The two doors besides REST as an agency system meets them: a SOAP client generated from the
 * checked-in WSDL (its own classes, not the gateway's) over mutual TLS, and the drop folders,
 * configured per agency client of both gateways.
 */
final class Channels {
    static final Map<Country, List<String>> AGENCIES = Map.of(Country.US, List.of("cbp", "ice-hsi"),
            Country.MX, List.of("anam", "sat"));

    private Channels() {
    }

    /** Inbound and outbound folders for every agency client of {@code c}, scanned every 0.2 s. */
    static Map<String, String> dropFolders(Country c) {
        Map<String, String> p = new HashMap<>();
        for (String id : AGENCIES.get(c)) {
            p.put("puente.client." + id + ".drop.inbound", "drop/" + id + "/in");
            p.put("puente.client." + id + ".drop.outbound", "drop/" + id + "/out");
        }
        p.put("puente.drop.poll-interval", "PT0.2S");
        return p;
    }

    static Map<Country, Map<String, String>> dropFoldersOfBoth() {
        return Map.of(Country.US, dropFolders(Country.US), Country.MX, dropFolders(Country.MX));
    }

    static Path inbound(GatewayLayout l, String agency) {
        return l.dataDir().resolve("drop").resolve(agency.toLowerCase(Locale.ROOT)).resolve("in");
    }

    static Path outbound(GatewayLayout l, String agency) {
        return l.dataDir().resolve("drop").resolve(agency.toLowerCase(Locale.ROOT)).resolve("out");
    }

    /** Drops a file the way the rename convention asks: written as NAME.tmp, then renamed. */
    static void drop(Path folder, String name, byte[] content) {
        try {
            Path tmp = folder.resolve(name + ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, folder.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) for a file the gateway writes; fails if it never comes. */
    static Path await(Path file, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " did not appear within " + timeout);
            }
            pause();
        }
        return file;
    }

    /**
     * Waits until a dropped file is filed away ({@code processed/NAME} or {@code rejected/NAME}: the
     * move comes after its receipt or reason is written) and returns that note.
     */
    static Path filed(Path moved, String suffix, Duration timeout) {
        await(moved, timeout);
        return moved.resolveSibling(moved.getFileName() + suffix);
    }

    static <T> Optional<T> poll(Duration timeout, java.util.function.Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent() || System.nanoTime() > deadline) {
                return v;
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A SOAP port of the agency API for {@code agency} (sample credential agency-xx.p12 of the layout's country). */
    static Agency soap(GatewayLayout l, String agency, String language) {
        return PORTS.computeIfAbsent(l.agencyPort() + "/" + agency + "/" + language, k -> newPort(l, agency, language));
    }

    private static final Map<String, Agency> PORTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Agency newPort(GatewayLayout l, String agency, String language) {
        String c = l.country().name().toLowerCase(Locale.ROOT);
        Path pki = l.pki().resolve(c);
        Agency port = new AgencyService().getAgencyPort();
        BindingProvider bp = (BindingProvider) port;
        bp.getRequestContext().put(BindingProvider.ENDPOINT_ADDRESS_PROPERTY,
                "https://localhost:" + l.agencyPort() + "/soap/v1/agency");
        if (language != null) {
            bp.getRequestContext().put(org.apache.cxf.message.Message.PROTOCOL_HEADERS,
                    Map.of("Accept-Language", List.of(language)));
        }
        HTTPConduit conduit = (HTTPConduit) ClientProxy.getClient(port).getConduit();
        TLSClientParameters tls = new TLSClientParameters();
        tls.setSslContext(AgencyConnection.sslContext(pki.resolve("agency-" + agency.toLowerCase(Locale.ROOT) + ".p12"),
                SamplePki.samplePassword(), pki.resolve("root-ca.pem")));
        conduit.setTlsClientParameters(tls);
        return port;
    }

    static JsonNode json(byte[] bytes) {
        try {
            return CanonicalJson.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return json(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A received header without what differs between two submissions of the same content (id, creation time). */
    static JsonNode comparable(JsonNode header) {
        ObjectNode h = header.deepCopy();
        String id = h.path("messageId").asText();
        h.remove("messageId");
        h.remove("createdAt");
        if (id.equals(h.path("correlationId").asText())) {
            h.put("correlationId", "(the message id)");
        }
        return h;
    }
}
