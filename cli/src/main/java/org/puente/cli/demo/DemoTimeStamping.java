package org.puente.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.puente.envelope.keys.TimeStampSigningKey;
import org.puente.envelope.timestamp.SampleTimeStampAuthority;
import org.puente.model.Country;

/**
 * The demo's time-stamping authorities: one per country, each with its country's SAMPLE TSA
 * certificate ({@code pki/<cc>/tsa.p12}), served on a free local port, so that the gateways'
 * checkpoints are stamped for real ({@code puente.audit.tsa-url}).
 */
final class DemoTimeStamping implements AutoCloseable {
    private final Map<Country, SampleTimeStampAuthority> tsas = new EnumMap<>(Country.class);

    /** Starts both; a TSA that cannot start (e.g. a key type it cannot sign with) is reported and left out. */
    static DemoTimeStamping start(Path pki, char[] password, PrintWriter out) {
        DemoTimeStamping d = new DemoTimeStamping();
        for (Country c : Country.values()) {
            String cc = c.name().toLowerCase(Locale.ROOT);
            try {
                SampleTimeStampAuthority tsa = new SampleTimeStampAuthority(TimeStampSigningKey.fromPkcs12(
                        pki.resolve(cc).resolve("tsa.p12"), password, "tsa"), 0).start();
                d.tsas.put(c, tsa);
                out.printf("time-stamping authority of %s (tsa.%s.puente.sample) at %s%n", c, cc, tsa.url());
            } catch (RuntimeException e) {
                out.printf("time-stamping authority of %s not started (%s): checkpoints go unstamped%n", c, e.getMessage());
            }
        }
        return d;
    }

    /** The gateway properties that point a country's gateway at its TSA (none if it did not start). */
    Map<String, String> properties(Country c) {
        SampleTimeStampAuthority tsa = tsas.get(c);
        return tsa == null ? Map.of() : Map.of("puente.audit.tsa-url", tsa.url().toString());
    }

    @Override
    public void close() {
        tsas.values().forEach(SampleTimeStampAuthority::close);
    }
}
