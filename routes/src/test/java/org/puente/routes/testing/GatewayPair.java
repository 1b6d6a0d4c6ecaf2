package org.puente.routes.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.puente.certs.SamplePki;
import org.puente.model.Country;

/**
 * A US and an MX gateway in this JVM, each the other's peer, on a fresh sample PKI written to
 * {@code dir/pki}: the set-up most route tests share.
 */
public final class GatewayPair implements AutoCloseable {
    public final Path pki;
    /** The sample PKI written to {@link #pki}, with its CA keys: what a test needs to issue a certificate or a CRL. */
    public final SamplePki samplePki;
    public final GatewayHarness us;
    public final GatewayHarness mx;

    private GatewayPair(Path pki, SamplePki samplePki, GatewayHarness us, GatewayHarness mx) {
        this.pki = pki;
        this.samplePki = samplePki;
        this.us = us;
        this.mx = mx;
    }

    public static GatewayPair start(Path dir) {
        return start(dir, Map.of(), Map.of());
    }

    /** Starts both with the same overrides, both reading the time from {@code clock} (a test's clock). */
    public static GatewayPair start(Path dir, Map<String, String> overrides, Clock clock) {
        Path pki = dir.resolve("pki");
        SamplePki samplePki = SamplePki.generate();
        samplePki.writeTo(pki, SamplePki.samplePassword());
        GatewayHarness.Ports usPorts = GatewayHarness.Ports.free();
        GatewayHarness.Ports mxPorts = GatewayHarness.Ports.free();
        GatewayHarness us = GatewayHarness.start(Country.US, pki, dir.resolve("us"), usPorts, mxPorts, overrides, clock);
        try {
            GatewayHarness mx = GatewayHarness.start(Country.MX, pki, dir.resolve("mx"), mxPorts, usPorts, overrides, clock);
            return new GatewayPair(pki, samplePki, us, mx);
        } catch (RuntimeException e) {
            us.close();
            throw e;
        }
    }

    /** Starts both, each with its own configuration overrides; stops the first if the second fails. */
    public static GatewayPair start(Path dir, Map<String, String> usOverrides, Map<String, String> mxOverrides) {
        return start(dir, SamplePki.generate(), usOverrides, mxOverrides);
    }

    /** Starts both on a sample PKI generated beforehand (e.g. to start its TSA first), written to {@code dir/pki}. */
    public static GatewayPair start(Path dir, SamplePki samplePki, Map<String, String> usOverrides,
                                    Map<String, String> mxOverrides) {
        Path pki = dir.resolve("pki");
        samplePki.writeTo(pki, SamplePki.samplePassword());
        GatewayHarness.Ports usPorts = GatewayHarness.Ports.free();
        GatewayHarness.Ports mxPorts = GatewayHarness.Ports.free();
        GatewayHarness us = GatewayHarness.start(Country.US, pki, dir.resolve("us"), usPorts, mxPorts, usOverrides);
        try {
            GatewayHarness mx = GatewayHarness.start(Country.MX, pki, dir.resolve("mx"), mxPorts, usPorts, mxOverrides);
            return new GatewayPair(pki, samplePki, us, mx);
        } catch (RuntimeException e) {
            us.close();
            throw e;
        }
    }

    /** A client with the sample credential {@code name} (e.g. "agency-cbp") on the gateway's agency listener. */
    public AgencyClient agencyClient(GatewayHarness gateway, String name) {
        return AgencyClient.sample(pki, gateway.country(), name, gateway.ports().agency());
    }

    @Override
    public void close() {
        try {
            mx.close();
        } finally {
            us.close();
        }
    }
}
