package org.puente.engine.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.puente.engine.audit.AuditFixtures;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.security.ReloadableTrustManager;
import org.puente.engine.security.TlsContexts;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.model.Country;

/**
 * The two SAMPLE gateways' side of the peer link, from the sample PKI the audit tests generate
 * once per JVM: each one's envelopes (its keys, the other's encryption certificate and signer
 * trust) and its TLS context (its TLS key, trusting only the other country's root), as
 * {@code GatewaySecurity} builds them from configuration.
 */
public final class SamplePeers {
    public static final String US_GATEWAY = "gateway.us.puente.sample";
    public static final String MX_GATEWAY = "gateway.mx.puente.sample";
    private static final long MAX_PAYLOAD_BYTES = 1 << 20;

    private SamplePeers() {
    }

    public static String gatewayName(Country c) {
        return c == Country.US ? US_GATEWAY : MX_GATEWAY;
    }

    public static Country peerOf(Country c) {
        return c == Country.US ? Country.MX : Country.US;
    }

    /** {@code own}'s envelopes facing the other country's gateway. */
    public static PeerEnvelopes envelopes(Country own, Clock clock) {
        Country peer = peerOf(own);
        return new PeerEnvelopes(AuditFixtures.keys(own), AlgorithmProfile.DEFAULT,
                AuditFixtures.keys(peer).encryptionCertificate(), AuditFixtures.trust(peer), MAX_PAYLOAD_BYTES,
                gatewayName(own), gatewayName(peer), clock);
    }

    /** {@code own}'s TLS context on the peer link: its TLS key, the other country's root and CRLs as the only trust. */
    public static SSLContext peerTls(Country own) {
        String peer = peerOf(own).name().toLowerCase();
        Path pki = AuditFixtures.pki();
        ReloadableTrustManager trust = new ReloadableTrustManager(
                TrustMaterial.certificates(List.of(pki.resolve(peer + "/root-ca.pem")), null),
                TrustMaterial.crls(List.of(pki.resolve(peer + "/root-ca.crl.pem"), pki.resolve(peer + "/issuing-ca.crl.pem"))));
        return TlsContexts.create(AuditFixtures.keys(own).tlsKeyManagers(), trust);
    }

    /**
     * {@code own}'s peer API as the smallest real server: a JDK HTTPS server on 127.0.0.1 with
     * {@code own}'s TLS key, mutual TLS trusting the other country's root only, and one handler.
     * Started; the caller stops it.
     */
    public static HttpsServer peerApi(Country own, String path, HttpHandler handler) {
        SSLContext tls = peerTls(own);
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    javax.net.ssl.SSLParameters p = tls.getDefaultSSLParameters();
                    p.setNeedClientAuth(true);
                    params.setSSLParameters(p);
                }
            });
            server.createContext(path, handler);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL of a server made by {@link #peerApi}. */
    public static URI url(HttpsServer server) {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }
}
