package org.puente.routes.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Adds the gateway's identity — {@code country} and {@code gateway} — to every JSON log line,
 * also the lines of libraries and of threads that carry no MDC (declared in {@code logback.xml}).
 * A line whose MDC already names a country (exchange events) keeps that one.
 *
 * <p>Implementation note: one process runs one gateway, so the identity is process-wide. The
 * first lines of start-up come before the configuration is read: for them the identity is taken
 * as the process was started ({@code -Dpuente.country}, {@code PUENTE_COUNTRY}, or the packaged
 * {@code application.properties}); the validated configuration then confirms it.
 */
public final class GatewayLogFields extends AbstractJsonProvider<ILoggingEvent> {
    private static volatile String country;
    private static volatile String gateway;

    /** Called once the gateway's configuration is known. */
    public static void identify(String countryCode, String gatewayName) {
        country = countryCode;
        gateway = gatewayName;
    }

    /** The identity as the process was started, for the lines logged before the configuration is read. */
    public static void identifyFromStartup() {
        Properties packaged = new Properties();
        try (InputStream in = GatewayLogFields.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                packaged.load(in);
            }
        } catch (IOException e) {
            // no packaged configuration: the validated one identifies the gateway a moment later
        }
        identify(first(System.getProperty("puente.country"), System.getenv("PUENTE_COUNTRY"),
                        packaged.getProperty("puente.country")),
                first(System.getProperty("puente.gateway.name"), System.getenv("PUENTE_GATEWAY_NAME"),
                        packaged.getProperty("puente.gateway.name")));
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        String c = country;
        if (c != null && !event.getMDCPropertyMap().containsKey(ExchangeJournal.COUNTRY)) {
            generator.writeStringField(ExchangeJournal.COUNTRY, c);
        }
        String g = gateway;
        if (g != null) {
            generator.writeStringField("gateway", g);
        }
    }
}
