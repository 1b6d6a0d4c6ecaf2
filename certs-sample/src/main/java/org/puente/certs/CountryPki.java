package org.puente.certs;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.puente.model.Country;

/**
 * One country's half of the sample PKI: its two CAs with their CRLs, the gateway's four
 * credentials, the client credentials of its agencies, operator and auditor, and a time-stamping
 * authority.
 *
 * @param country           which country
 * @param rootCa            the self-signed root CA (the trust anchor of this country)
 * @param issuingCa         the issuing CA (pathLen 0) that signs every leaf
 * @param rootCrl           the root CA's CRL (empty)
 * @param issuingCrl        the issuing CA's CRL (revokes {@code revokedAgency})
 * @param gatewaySigning    the gateway's CMS signing credential
 * @param gatewayEncryption the gateway's CMS encryption (recipient) credential
 * @param gatewayTls        the gateway's TLS credential (server and client)
 * @param gatewayAudit      the gateway's audit-signing credential (checkpoints and exports of its audit log)
 * @param agencies          agency client credentials by agency id ({@code CBP}, {@code ICE-HSI}, ...), in order
 * @param operator          the operator's client credential
 * @param auditor           the auditor's client credential
 * @param revokedAgency     a client credential of the first agency, revoked (keyCompromise) on {@code issuingCrl}
 * @param timeStampingAuthority the country's sample RFC 3161 TSA credential: digitalSignature and a
 *                          critical extended key usage id-kp-timeStamping only (RFC 3161, 2.3)
 */
public record CountryPki(
        Country country,
        IssuedCredential rootCa,
        IssuedCredential issuingCa,
        X509CRL rootCrl,
        X509CRL issuingCrl,
        IssuedCredential gatewaySigning,
        IssuedCredential gatewayEncryption,
        IssuedCredential gatewayTls,
        IssuedCredential gatewayAudit,
        Map<String, IssuedCredential> agencies,
        IssuedCredential operator,
        IssuedCredential auditor,
        IssuedCredential revokedAgency,
        IssuedCredential timeStampingAuthority) {

    public CountryPki {
        Objects.requireNonNull(country, "country");
        agencies = Collections.unmodifiableMap(new LinkedHashMap<>(agencies));
    }

    /** The root certificate: what a truststore of this country holds. */
    public X509Certificate trustAnchor() {
        return rootCa.certificate();
    }

    /** Both CRLs, issuing CA's first: what a revocation-enabled path check needs. */
    public List<X509CRL> crls() {
        return List.of(issuingCrl, rootCrl);
    }

    /** The client credential of one agency, e.g. {@code agency("CBP")}. */
    public IssuedCredential agency(String agency) {
        IssuedCredential credential = agencies.get(agency);
        if (credential == null) {
            throw new IllegalArgumentException("no sample agency " + agency + " in " + country + ": " + agencies.keySet());
        }
        return credential;
    }
}
