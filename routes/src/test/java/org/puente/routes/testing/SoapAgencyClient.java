package org.puente.routes.testing;

import jakarta.xml.ws.BindingProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.transport.http.HTTPConduit;
import org.puente.routes.soap.v1.Agency;
import org.puente.routes.soap.v1.AgencyService;

/**
 * A SOAP client of the agency API built from the classes wsdl2java generated from the checked-in
 * WSDL, calling a gateway over mutual TLS with an agency's client certificate.
 */
public final class SoapAgencyClient {
    private SoapAgencyClient() {
    }

    /** A port bound to {@code https://localhost:<port>/soap/v1/agency}; {@code language} sets Accept-Language (or null). */
    public static Agency port(Path p12, char[] password, Path trustedRoot, int agencyPort, String language) {
        Agency port = new AgencyService().getAgencyPort();
        BindingProvider bp = (BindingProvider) port;
        bp.getRequestContext().put(BindingProvider.ENDPOINT_ADDRESS_PROPERTY,
                "https://localhost:" + agencyPort + "/soap/v1/agency");
        if (language != null) {
            bp.getRequestContext().put(org.apache.cxf.message.Message.PROTOCOL_HEADERS,
                    Map.of("Accept-Language", List.of(language)));
        }
        Client client = ClientProxy.getClient(port);
        HTTPConduit conduit = (HTTPConduit) client.getConduit();
        TLSClientParameters tls = new TLSClientParameters();
        tls.setSslContext(AgencyClient.context(p12, password, trustedRoot));
        conduit.setTlsClientParameters(tls);
        return port;
    }
}
