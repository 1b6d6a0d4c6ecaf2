package org.puente.routes.camel;

import java.util.HashMap;
import java.util.Map;
import javax.xml.namespace.QName;
import org.apache.camel.CamelContext;
import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.cxf.Bus;
import org.apache.cxf.staxutils.StaxUtils;
import org.puente.routes.soap.v1.Agency;

/**
 * The CXF JAX-WS endpoint of the SOAP door, on the agency listener's port (so the same mutual-TLS
 * parameters, trust and client certificates as REST) under its own path.
 *
 * <p>Implementation note (XML hardening): CXF parses with Woodstox through a factory that refuses
 * DTDs and external entities; on top of that the endpoint bounds what one request may hold
 * (nesting depth, elements, attributes, characters of one text node and of the whole document)
 * so that no document can make the parser or the JAXB binding hold more than about twice the
 * largest accepted submission, and the request is validated against the WSDL's schema before
 * any route sees it. Faults CXF raises on the way are given Puente's form by
 * {@link SoapFaultTranslator}.
 */
public final class AgencySoapEndpoint {
    public static final String PATH = "/soap/v1/agency";
    public static final String WSDL = "classpath:org/puente/routes/soap/agency-v1.wsdl";
    static final String NS = "urn:puente:agency:v1";
    /** Deep enough for a SOAP envelope with a header block; the request bodies nest 3 levels. */
    static final int MAX_DEPTH = 24;
    static final long MAX_ELEMENTS = 2_000;
    static final int MAX_CHILDREN = 256;
    static final int MAX_ATTRIBUTES = 32;
    static final int MAX_ATTRIBUTE_SIZE = 8 * 1024;

    private AgencySoapEndpoint() {
    }

    /** Creates and configures the endpoint; {@code maxDocumentBytes} is the largest submission document accepted. */
    public static CxfEndpoint create(CamelContext context, Bus bus, String host, int port, long maxDocumentBytes,
                                     SoapFaultTranslator translator) {
        CxfEndpoint e = context.getEndpoint("cxf://https://" + host + ":" + port + PATH, CxfEndpoint.class);
        e.setBus(bus);
        e.setServiceClass(Agency.class);
        e.setWsdlURL(WSDL);
        e.setServiceNameAsQName(new QName(NS, "AgencyService"));
        e.setPortNameAsQName(new QName(NS, "AgencyPort"));
        e.setDataFormat(DataFormat.POJO);
        e.setProperties(limits(maxDocumentBytes));
        e.setSchemaValidationEnabled(true);
        e.getOutFaultInterceptors().add(translator);
        return e;
    }

    static Map<String, Object> limits(long maxDocumentBytes) {
        // The document's text may be escaped (&amp;, &lt;): room for twice its size plus the envelope, so
        // that a document somewhat above the limit still gets payload_too_large, as over REST.
        long chars = 2 * maxDocumentBytes + 64 * 1024;
        Map<String, Object> p = new HashMap<>();
        p.put(StaxUtils.MAX_ELEMENT_DEPTH, MAX_DEPTH);
        p.put(StaxUtils.MAX_ELEMENT_COUNT, MAX_ELEMENTS);
        p.put(StaxUtils.MAX_CHILD_ELEMENTS, MAX_CHILDREN);
        p.put(StaxUtils.MAX_ATTRIBUTE_COUNT, MAX_ATTRIBUTES);
        p.put(StaxUtils.MAX_ATTRIBUTE_SIZE, MAX_ATTRIBUTE_SIZE);
        p.put(StaxUtils.MAX_TEXT_LENGTH, (int) Math.min(Integer.MAX_VALUE, chars));
        p.put(StaxUtils.MAX_XML_CHARACTERS, chars);
        return p;
    }
}
