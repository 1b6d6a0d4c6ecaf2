package org.puente.routes.camel;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import java.util.Locale;
import javax.xml.namespace.QName;
import org.apache.cxf.binding.soap.Soap11;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.interceptor.Fault;
import org.puente.model.error.ErrorCategory;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.api.SoapErrors;
import org.puente.routes.soap.v1.PuenteError;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Builds the SOAP fault of a refused request: {@code faultstring} is the sentence in the caller's
 * language, {@code detail} holds the WSDL's {@code PuenteError} with the same code, category,
 * retry flag and problems as the REST error body. The sender is at fault ({@code soap:Client})
 * unless the failure is the gateway's (transient or internal: {@code soap:Server}).
 */
public final class SoapFaults {
    /** The detail element of every Puente fault. */
    public static final QName ERROR = new QName("urn:puente:agency:v1", "PuenteError");

    private static final JAXBContext JAXB;

    static {
        try {
            JAXB = JAXBContext.newInstance(PuenteError.class);
        } catch (JAXBException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SoapFaults() {
    }

    public static SoapFault fault(PuenteException e, Locale locale) {
        Soap11 soap = Soap11.getInstance();
        ErrorCategory category = e.errorCode().category();
        QName code = category == ErrorCategory.TRANSIENT || category == ErrorCategory.INTERNAL ? soap.getReceiver()
                : soap.getSender();
        SoapFault fault = new SoapFault(e.sentence(locale), code);
        try {
            JAXB.createMarshaller().marshal(SoapErrors.body(e, locale), fault.getOrCreateDetail());
        } catch (JAXBException ex) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, ex, "SOAP fault detail");
        }
        return fault;
    }

    /**
     * The whole SOAP 1.1 envelope of a fault, for a refusal answered before CXF sees the request
     * (by {@link ListenerGuard}): the same faultcode, faultstring and detail as {@link #fault}.
     */
    public static String envelope(PuenteException e, Locale locale) {
        ErrorCategory category = e.errorCode().category();
        String code = category == ErrorCategory.TRANSIENT || category == ErrorCategory.INTERNAL ? "soap:Server" : "soap:Client";
        java.io.StringWriter detail = new java.io.StringWriter();
        try {
            jakarta.xml.bind.Marshaller m = JAXB.createMarshaller();
            m.setProperty(jakarta.xml.bind.Marshaller.JAXB_FRAGMENT, Boolean.TRUE);
            m.marshal(SoapErrors.body(e, locale), detail);
        } catch (JAXBException ex) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, ex, "SOAP fault detail");
        }
        return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><soap:Fault>"
                + "<faultcode>" + code + "</faultcode><faultstring>" + escape(e.sentence(locale)) + "</faultstring>"
                + "<detail>" + detail + "</detail></soap:Fault></soap:Body></soap:Envelope>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Whether a fault already carries a {@code PuenteError} (made here, not by CXF). */
    public static boolean isPuenteFault(Fault fault) {
        Element detail = fault.getDetail();
        for (Node n = detail == null ? null : detail.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el && ERROR.getNamespaceURI().equals(el.getNamespaceURI())
                    && ERROR.getLocalPart().equals(el.getLocalName())) {
                return true;
            }
        }
        return false;
    }
}
