package org.puente.certs;

import static org.puente.certs.KeyUsageBit.CRL_SIGN;
import static org.puente.certs.KeyUsageBit.DIGITAL_SIGNATURE;
import static org.puente.certs.KeyUsageBit.KEY_CERT_SIGN;
import static org.puente.certs.KeyUsageBit.KEY_ENCIPHERMENT;
import static org.puente.certs.KeyUsageBit.NON_REPUDIATION;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.puente.model.Country;

/**
 * Builds one country's sample PKI: the profile decides the keys, this class decides the names,
 * lifetimes and extensions that the brief for the sample set specifies.
 */
final class CountryPkiFactory {
    static final int ROOT_YEARS = 10;
    static final int ISSUING_YEARS = 5;
    static final int LEAF_YEARS = 3;
    static final Duration CRL_LIFETIME = Duration.ofDays(30);

    /** Key pairs one country uses: 2 CAs, 4 gateway leaves, 5 client leaves, 1 time-stamping authority. */
    static final int KEYS_PER_COUNTRY = 12;

    private final PkiProfile profile;
    private final Instant now;
    private final Instant notBefore;
    private final Queue<KeyPair> keys;
    private final CertificateIssuer issuer = new CertificateIssuer();

    CountryPkiFactory(PkiProfile profile, Instant now, int countries) {
        this.profile = profile;
        this.now = now;
        this.notBefore = now.minus(CertificateSpec.CLOCK_SKEW);
        // RSA-3072 key generation dominates (about half a second each): make them on every core at once.
        this.keys = IntStream.range(0, countries * KEYS_PER_COUNTRY).parallel()
                .mapToObj(i -> profile.generateKeyPair())
                .collect(Collectors.toCollection(ConcurrentLinkedQueue::new));
    }

    CountryPki build(Country country) {
        IssuedCredential root = issuer.selfSign(CertificateSpec.builder(SampleNames.rootCa(country), nextKeyPair())
                .validity(notBefore, years(ROOT_YEARS)).ca(-1).keyUsage(KEY_CERT_SIGN, CRL_SIGN).build());
        IssuedCredential issuing = issuer.issue(root, CertificateSpec.builder(SampleNames.issuingCa(country), nextKeyPair())
                .validity(notBefore, years(ISSUING_YEARS)).ca(0).keyUsage(KEY_CERT_SIGN, CRL_SIGN).build());

        Map<String, IssuedCredential> gateway = gatewayKeys(country, issuing);
        IssuedCredential signing = gateway.get("signing");
        IssuedCredential encryption = gateway.get("encryption");
        IssuedCredential gatewayTls = gateway.get("tls");
        IssuedCredential audit = gateway.get("audit");

        Map<String, IssuedCredential> agencies = new LinkedHashMap<>();
        for (String agency : SampleNames.agencies(country)) {
            agencies.put(agency, client(issuing, SampleNames.agencyClient(country, agency)));
        }
        IssuedCredential operator = client(issuing, SampleNames.operator(country));
        IssuedCredential auditor = client(issuing, SampleNames.auditor(country));
        IssuedCredential revoked = client(issuing, SampleNames.revokedAgencyClient(country));
        // RFC 3161, 2.3: a TSA certificate has exactly one extended key usage, id-kp-timeStamping, critical.
        IssuedCredential tsa = leaf(issuing, leafSpec(SampleNames.timeStampingAuthority(country))
                .keyUsage(DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.TIME_STAMPING).extendedKeyUsageCritical(true));

        Instant nextUpdate = notBefore.plus(CRL_LIFETIME);
        X509CRL rootCrl = issuer.crl(root, notBefore, nextUpdate, BigInteger.ONE, List.of());
        X509CRL issuingCrl = issuer.crl(issuing, notBefore, nextUpdate, BigInteger.ONE,
                List.of(Revocation.of(revoked.certificate(), notBefore, Revocation.Reason.KEY_COMPROMISE)));
        return new CountryPki(country, root, issuing, rootCrl, issuingCrl, signing, encryption, gatewayTls, audit,
                agencies, operator, auditor, revoked, tsa);
    }

    /**
     * The gateway's four keys from the issuing CA, by keystore alias: signing, encryption, TLS and
     * audit. Also what a key rotation of the sample set issues anew.
     */
    Map<String, IssuedCredential> gatewayKeys(Country country, IssuedCredential issuing) {
        IssuedCredential signing = leaf(issuing, leafSpec(SampleNames.gatewaySigning(country), signingKeyPair())
                .keyUsage(DIGITAL_SIGNATURE, NON_REPUDIATION).extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION));
        // EC keys encrypt through ECDH (keyAgreement); RSA and ML-KEM keys through key transport or
        // encapsulation (keyEncipherment).
        IssuedCredential encryption = leaf(issuing, leafSpec(SampleNames.gatewayEncryption(country),
                encryptionKeyPair()).keyUsage(profile.encryptionKeyUsage())
                .extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION));
        // TLS 1.2 RSA key exchange needs keyEncipherment; ECDHE suites only sign.
        CertificateSpec.Builder tls = leafSpec(SampleNames.gatewayTls(country))
                .extendedKeyUsage(KeyPurpose.SERVER_AUTH, KeyPurpose.CLIENT_AUTH)
                .subjectAltNames(SubjectAltName.dns("localhost"), SubjectAltName.dns(SampleNames.gatewayHost(country)),
                        SubjectAltName.ip("127.0.0.1"), SubjectAltName.ip("::1"));
        tls = profile.isRsa() ? tls.keyUsage(DIGITAL_SIGNATURE, KEY_ENCIPHERMENT) : tls.keyUsage(DIGITAL_SIGNATURE);
        IssuedCredential gatewayTls = leaf(issuing, tls);
        // The audit key: the gateway's name, but only the Puente audit purpose, so that it cannot
        // sign a message the peer accepts, and the message key cannot sign a checkpoint.
        IssuedCredential audit = leaf(issuing, leafSpec(SampleNames.gatewayAudit(country), signingKeyPair())
                .keyUsage(DIGITAL_SIGNATURE, NON_REPUDIATION).extendedKeyUsage(KeyPurpose.PUENTE_AUDIT_SIGNING));
        Map<String, IssuedCredential> keys = new LinkedHashMap<>();
        keys.put("signing", signing);
        keys.put("encryption", encryption);
        keys.put("tls", gatewayTls);
        keys.put("audit", audit);
        return keys;
    }

    private CertificateSpec.Builder leafSpec(String subject) {
        return leafSpec(subject, nextKeyPair());
    }

    private CertificateSpec.Builder leafSpec(String subject, KeyPair keyPair) {
        return CertificateSpec.builder(subject, keyPair).validity(notBefore, years(LEAF_YEARS));
    }

    private IssuedCredential client(IssuedCredential issuing, String subject) {
        return leaf(issuing, leafSpec(subject).keyUsage(DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.CLIENT_AUTH));
    }

    private IssuedCredential leaf(IssuedCredential issuing, CertificateSpec.Builder spec) {
        return issuer.issue(issuing, spec.build());
    }

    /** The pool holds the profile's CA/TLS/client keys; post-quantum message keys are made here. */
    private KeyPair signingKeyPair() {
        return profile.isPostQuantum() ? profile.signingKeyPair() : nextKeyPair();
    }

    private KeyPair encryptionKeyPair() {
        return profile.isPostQuantum() ? profile.encryptionKeyPair() : nextKeyPair();
    }

    private KeyPair nextKeyPair() {
        KeyPair pregenerated = keys.poll();
        return pregenerated != null ? pregenerated : profile.generateKeyPair();
    }

    private Instant years(int years) {
        return now.atZone(ZoneOffset.UTC).plusYears(years).toInstant();
    }
}
