package org.puente.certs;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** Writes certificates, chains, CRLs and PKCS#8 keys as the PEM text OpenSSL and the JDK both read (RFC 7468). */
final class PemEncoding {
    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private PemEncoding() {
    }

    static String certificate(X509Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw PkiFailures.internal("encoding a certificate", e);
        }
    }

    /** The certificates one after the other, leaf first, as {@code openssl verify -untrusted} and TLS servers expect. */
    static String chain(List<X509Certificate> chain) {
        StringBuilder pem = new StringBuilder();
        chain.forEach(certificate -> pem.append(certificate(certificate)));
        return pem.toString();
    }

    static String crl(X509CRL crl) {
        try {
            return block("X509 CRL", crl.getEncoded());
        } catch (CRLException e) {
            throw PkiFailures.internal("encoding a CRL", e);
        }
    }

    /** The key's PKCS#8 encoding, unencrypted: acceptable for SAMPLE keys only, and labelled so. */
    static String privateKey(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + BASE64.encodeToString(der) + "\n-----END " + label + "-----\n";
    }
}
