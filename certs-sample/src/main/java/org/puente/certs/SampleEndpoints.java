package org.puente.certs;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.puente.model.Country;

/**
 * TLS for an agency's own SAMPLE back-end endpoint (the target of push delivery): a server
 * certificate for {@code localhost} issued by the country's issuing CA, trusting the country's
 * root for client certificates (the gateway presents its own). For demos and tests only.
 */
public final class SampleEndpoints {
    private SampleEndpoints() {
    }

    /** A server SSL context for {@code localhost} / 127.0.0.1 under {@code country}'s SAMPLE CA. */
    public static SSLContext localhostServer(SamplePki pki, Country country, String commonName) {
        CountryPki c = pki.country(country);
        var keys = pki.profile().generateKeyPair();
        IssuedCredential server = new CertificateIssuer().issue(c.issuingCa(),
                CertificateSpec.builder("CN=" + commonName + ", O=Puente SAMPLE - NOT FOR PRODUCTION, C=" + country.name(), keys)
                        .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.SERVER_AUTH)
                        .subjectAltNames(SubjectAltName.dns("localhost"), SubjectAltName.ip("127.0.0.1")).build());
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", server.key(), new char[0], server.chainArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, new char[0]);
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("root", c.trustAnchor());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the sample endpoint's TLS context", e);
        }
    }
}
