package org.puente.envelope.keys;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** Conversions between JDK and Bouncy Castle certificate objects. */
final class Certificates {
    private Certificates() {
    }

    static X509CertificateHolder holder(X509Certificate cert) {
        try {
            return new JcaX509CertificateHolder(cert);
        } catch (CertificateEncodingException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "certificate cannot be encoded");
        }
    }
}
