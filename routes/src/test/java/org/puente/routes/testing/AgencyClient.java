package org.puente.routes.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.puente.certs.SamplePki;
import org.puente.model.Country;

/** An agency (or operator, or auditor) back-end calling a gateway over mutual TLS, for tests. */
public final class AgencyClient {
    private final HttpClient http;
    private final String base;

    public AgencyClient(Path p12, char[] password, Path trustedRoot, String base) {
        this.http = HttpClient.newBuilder().sslContext(context(p12, password, trustedRoot))
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.base = base;
    }

    /**
     * A client with the sample credential {@code name} of {@code country} (e.g. "agency-cbp",
     * "operator"), trusting that country's sample root, calling https://localhost:{@code port}.
     */
    public static AgencyClient sample(Path pki, Country country, String name, int port) {
        String folder = country.name().toLowerCase();
        return new AgencyClient(pki.resolve(folder + "/" + name + ".p12"), SamplePki.samplePassword(),
                pki.resolve(folder + "/root-ca.pem"), "https://localhost:" + port);
    }

    /**
     * The TLS context of a sample credential ({@code p12} under {@code pki}, e.g. "us/agency-cbp.p12"),
     * trusting the sample root of {@code rootCountry} ("us" or "mx").
     */
    public static SSLContext sampleContext(Path pki, String p12, String rootCountry) {
        return context(pki.resolve(p12), SamplePki.samplePassword(), pki.resolve(rootCountry + "/root-ca.pem"));
    }

    /** A client with a TLS context built by the test (an odd certificate, or none at all). */
    public AgencyClient(SSLContext context, String base) {
        this.http = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
        this.base = base;
    }

    /**
     * A TLS context presenting {@code keys} (null: no client certificate) and trusting only
     * {@code trustedRoot}.
     */
    public static SSLContext context(KeyStore keys, char[] password, X509Certificate trustedRoot) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            if (keys != null) {
                kmf.init(keys, password);
            }
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("root", trustedRoot);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS context presenting a freshly issued credential and trusting only {@code trusted}'s root. */
    public static SSLContext context(org.puente.certs.IssuedCredential credential, org.puente.certs.CountryPki trusted) {
        try {
            char[] password = "test".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", credential.key(), password, credential.chainArray());
            return context(ks, password, trusted.trustAnchor());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SSLContext context(Path p12, char[] password, Path trustedRoot) {
        try (InputStream in = Files.newInputStream(p12); InputStream root = Files.newInputStream(trustedRoot)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("root", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(root));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public HttpResponse<byte[]> post(String path, byte[] json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    public HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
