package org.puente.cli.demo;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.Country;

/**
 * Where one gateway of a local pair lives: its ports, data folder and the sample PKI folder, and
 * the few properties that override its packaged {@code application.properties} to run it there.
 */
public record GatewayLayout(Country country, Path pki, Path dataDir, int agencyPort, int peerPort, int opsPort,
                            int peerPeerPort, char[] keystorePassword) {

    /** The overrides of the packaged configuration for this layout. */
    public Map<String, String> properties() {
        String c = country.name().toLowerCase(Locale.ROOT);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("puente.pki.dir", pki.toAbsolutePath().toString());
        p.put("puente.data.dir", dataDir.toAbsolutePath().toString());
        p.put("puente.listen.host", "127.0.0.1");
        p.put("puente.listen.agency-port", String.valueOf(agencyPort));
        p.put("puente.listen.peer-port", String.valueOf(peerPort));
        p.put("puente.listen.ops-port", String.valueOf(opsPort));
        p.put("puente.peer.url", "https://localhost:" + peerPeerPort);
        p.put("camel.main.name", "puente-gateway-" + c);
        // A local pair runs on a freshly generated SAMPLE PKI: the gateway refuses such keys unless told so.
        p.put("puente.sample", "true");
        return p;
    }

    /** A client of this gateway holding the sample credentials {@code <name>.p12} of its country. */
    public AgencyConnection connection(String credential, URI base, Executor executor) {
        String c = country.name().toLowerCase(Locale.ROOT);
        return new AgencyConnection(pki.resolve(c).resolve(credential + ".p12"), keystorePassword,
                pki.resolve(c).resolve("root-ca.pem"), base, executor);
    }

    /** An agency system of this country, e.g. {@code CBP} (sample credential {@code agency-cbp.p12}). */
    public AgencyConnection agency(String agency, Executor executor) {
        return connection("agency-" + agency.toLowerCase(Locale.ROOT), URI.create("https://localhost:" + agencyPort), executor);
    }

    public AgencyConnection operator() {
        return connection("operator", URI.create("https://localhost:" + opsPort), null);
    }
}
