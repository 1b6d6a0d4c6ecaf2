package org.puente.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues X.509 certificates and CRLs from a CA credential: the sample PKI is built with it, and
 * other modules' tests use it to make the odd certificates they need.
 *
 * <p>Implementation note: Bouncy Castle only builds and encodes the structures; signing uses the
 * JDK's default providers and the results are parsed back by the JDK's {@link CertificateFactory},
 * so callers get the same {@code X509Certificate} objects a keystore or TLS would give them. The
 * issuer name is copied from the issuer certificate's encoded subject, byte for byte, so name
 * chaining never depends on string conversions. Every certificate carries a subject key identifier
 * (SHA-1 of the key, RFC 5280 method 1) and, when issued by another key, an authority key
 * identifier equal to the issuer's subject key identifier; CRLs carry the same AKI.
 */
public final class CertificateIssuer {
    private final JcaX509ExtensionUtils extensionUtils;

    public CertificateIssuer() {
        try {
            this.extensionUtils = new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw PkiFailures.internal("preparing SHA-1 key identifiers", e);
        }
    }

    /** Issues a self-signed certificate (a root CA, or an untrusted self-signed leaf for a test). */
    public IssuedCredential selfSign(CertificateSpec spec) {
        PublicKey key = spec.keyPair().getPublic();
        byte[] ownKeyId = extensionUtils.createSubjectKeyIdentifier(key).getKeyIdentifier();
        X509Certificate certificate = sign(spec, spec.subject(), new AuthorityKeyIdentifier(ownKeyId),
                spec.keyPair().getPrivate(), PkiProfile.signatureAlgorithmFor(key));
        return new IssuedCredential(certificate, spec.keyPair().getPrivate(), List.of(certificate));
    }

    /** Issues a certificate signed by {@code issuer}, with the signature algorithm its key calls for. */
    public IssuedCredential issue(IssuedCredential issuer, CertificateSpec spec) {
        return issue(issuer, spec, PkiProfile.signatureAlgorithmFor(issuer.certificate().getPublicKey()));
    }

    /** Issues a certificate signed by {@code issuer} with a chosen JCA signature algorithm. */
    public IssuedCredential issue(IssuedCredential issuer, CertificateSpec spec, String signatureAlgorithm) {
        X509Certificate certificate = sign(spec, issuer.certificate().getSubjectX500Principal(),
                authorityKeyIdentifier(issuer.certificate()), issuer.key(), signatureAlgorithm);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(issuer.chain());
        return new IssuedCredential(certificate, spec.keyPair().getPrivate(), chain);
    }

    /**
     * Issues a version 2 CRL signed by {@code issuer}, with a CRL number and the issuer's key
     * identifier; an empty {@code revoked} list gives the "nothing revoked" CRL that a full chain
     * check ({@code openssl verify -crl_check_all}) needs from every CA.
     */
    public X509CRL crl(IssuedCredential issuer, Instant thisUpdate, Instant nextUpdate, BigInteger crlNumber,
                       List<Revocation> revoked) {
        X509Certificate ca = issuer.certificate();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(name(ca.getSubjectX500Principal()), date(thisUpdate));
        builder.setNextUpdate(date(nextUpdate));
        for (Revocation revocation : revoked) {
            builder.addCRLEntry(revocation.serial(), date(revocation.revokedAt()), revocation.reason().code());
        }
        try {
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(ca));
            X509CRLHolder holder = builder.build(signer(PkiProfile.signatureAlgorithmFor(ca.getPublicKey()), issuer.key()));
            return (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(holder.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw PkiFailures.internal("issuing a CRL", e);
        }
    }

    private X509Certificate sign(CertificateSpec spec, X500Principal issuerName, AuthorityKeyIdentifier authorityKeyId,
                                 PrivateKey issuerPrivateKey, String signatureAlgorithm) {
        PublicKey subjectKey = spec.keyPair().getPublic();
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name(issuerName), spec.serial(),
                date(spec.notBefore()), date(spec.notAfter()), name(spec.subject()),
                SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
        try {
            addExtensions(builder, spec, subjectKey, authorityKeyId);
            byte[] encoded = builder.build(signer(signatureAlgorithm, issuerPrivateKey)).getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(encoded));
        } catch (GeneralSecurityException | IOException e) {
            throw PkiFailures.internal("issuing a certificate for " + spec.subject().getName(), e);
        }
    }

    private void addExtensions(X509v3CertificateBuilder builder, CertificateSpec spec, PublicKey subjectKey,
                               AuthorityKeyIdentifier authorityKeyId) throws CertIOException {
        BasicConstraints constraints = !spec.ca() ? new BasicConstraints(false)
                : spec.pathLength() < 0 ? new BasicConstraints(true) : new BasicConstraints(spec.pathLength());
        builder.addExtension(Extension.basicConstraints, true, constraints);
        if (!spec.keyUsage().isEmpty()) {
            int mask = spec.keyUsage().stream().mapToInt(KeyUsageBit::bouncyCastleMask).reduce(0, (a, b) -> a | b);
            builder.addExtension(Extension.keyUsage, spec.keyUsageCritical(), new KeyUsage(mask));
        }
        if (!spec.extendedKeyUsage().isEmpty()) {
            KeyPurposeId[] purposes = spec.extendedKeyUsage().stream()
                    .map(purpose -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(purpose.oid())))
                    .toArray(KeyPurposeId[]::new);
            builder.addExtension(Extension.extendedKeyUsage, spec.extendedKeyUsageCritical(), new ExtendedKeyUsage(purposes));
        }
        if (!spec.subjectAltNames().isEmpty()) {
            GeneralName[] names = spec.subjectAltNames().stream()
                    .map(san -> new GeneralName(san.kind().tag(), san.value()))
                    .toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensionUtils.createSubjectKeyIdentifier(subjectKey));
        builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId);
    }

    /** The issuer's own SKI when it has one (so AKI and SKI always match), else one computed from its key. */
    private AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate ca) {
        byte[] extension = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            byte[] keyId = SubjectKeyIdentifier.getInstance(
                    ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
            return new AuthorityKeyIdentifier(keyId);
        }
        return new AuthorityKeyIdentifier(extensionUtils.createSubjectKeyIdentifier(ca.getPublicKey()).getKeyIdentifier());
    }

    private static ContentSigner signer(String signatureAlgorithm, PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(signatureAlgorithm).build(key);
        } catch (OperatorCreationException e) {
            throw PkiFailures.internal("preparing a " + signatureAlgorithm + " signer", e);
        }
    }

    private static X500Name name(X500Principal principal) {
        return X500Name.getInstance(principal.getEncoded());
    }

    private static Date date(Instant instant) {
        return Date.from(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
