package org.puente.routes.camel;

import java.util.Locale;
import java.util.UUID;
import javax.xml.stream.XMLStreamException;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.interceptor.AbstractSoapInterceptor;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.Phase;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.ops.ErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the faults CXF raises before a request reaches a route (XML that is not well-formed,
 * DTDs and entities, documents beyond the parser bounds, elements the WSDL does not know) the
 * same form as every other Puente fault: {@code malformed_xml} with a short reason, or
 * {@code internal_error} with a logged reference. The parser's own message is never echoed, so
 * nothing a hostile entity might have pulled in can leave in a fault.
 */
public final class SoapFaultTranslator extends AbstractSoapInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(SoapFaultTranslator.class);

    private final ErrorListener listener;

    public SoapFaultTranslator(ErrorListener listener) {
        super(Phase.SETUP);
        this.listener = listener;
    }

    @Override
    public void handleMessage(SoapMessage message) {
        Exception content = message.getContent(Exception.class);
        Fault fault = content instanceof Fault f ? f : new Fault(content);
        if (content == null || SoapFaults.isPuenteFault(fault)) {
            return;
        }
        PuenteException e = classify(fault);
        if (e.errorCode() == ErrorCode.MALFORMED_XML) {
            LOG.warn("SOAP request refused: {}", e.getMessage());
        }
        listener.answered("soap", e);
        Locale locale = ApiEdge.locale(message.getExchange() == null ? null
                : SoapEdge.acceptLanguage(message.getExchange().getInMessage()));
        message.setContent(Exception.class, SoapFaults.fault(e, locale));
    }

    static PuenteException classify(Fault fault) {
        for (Throwable t = fault; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyLimit.Refused refused) {
                return refused.refusal();
            }
        }
        StringBuilder text = new StringBuilder();
        boolean xml = false;
        for (Throwable t = fault; t != null && text.length() < 4096; t = t.getCause() == t ? null : t.getCause()) {
            text.append(' ').append(t.getMessage());
            xml |= t instanceof XMLStreamException || t instanceof jakarta.xml.bind.JAXBException
                    || t instanceof org.xml.sax.SAXException;
        }
        String code = fault.getFaultCode() == null ? "" : fault.getFaultCode().getLocalPart();
        String all = text.toString().toLowerCase(Locale.ROOT);
        String reason;
        if (all.contains("dtd") || all.contains("entity") || all.contains("doctype")) {
            reason = "DTDs and entity declarations are not allowed";
        } else if (all.contains("limit") || all.contains("maximum") || all.contains("exceed")) {
            reason = "it exceeds the gateway's bounds on nesting depth, size or element count";
        } else if (all.contains("cvc-") || all.contains("unmarshal")) {
            reason = "it does not match the schema of the WSDL";
        } else if (all.contains("not recognized") || all.contains("no such operation") || all.contains("unexpected wrapper")
                || all.contains("unexpected element")) {
            reason = "its body is not an operation of the WSDL";
        } else if (xml || "Client".equals(code) || "Sender".equals(code)) {
            reason = "it is not well-formed";
        } else {
            String reference = UUID.randomUUID().toString();
            LOG.error("SOAP request failed inside CXF, reference {}", reference, fault);
            return new PuenteException(ErrorCode.INTERNAL_ERROR, reference);
        }
        return new PuenteException(ErrorCode.MALFORMED_XML, reason);
    }
}
