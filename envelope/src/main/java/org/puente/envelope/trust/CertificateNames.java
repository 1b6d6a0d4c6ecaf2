package org.puente.envelope.trust;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Reads names out of certificates by parsing them, never by comparing DN strings. */
public final class CertificateNames {
    private CertificateNames() {
    }

    /** The common names of the subject, in certificate order. */
    public static List<String> commonNames(X509Certificate cert) {
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        return Arrays.stream(name.getRDNs(BCStyle.CN))
                .map(RDN::getFirst)
                .map(atv -> atv.getValue() instanceof ASN1String s ? s.getString() : atv.getValue().toString())
                .toList();
    }

    /** The single common name, or the full subject if there is not exactly one (for messages). */
    public static String display(X509Certificate cert) {
        List<String> cns = commonNames(cert);
        return cns.size() == 1 ? cns.get(0) : cert.getSubjectX500Principal().getName();
    }
}
