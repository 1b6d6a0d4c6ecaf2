package org.puente.envelope;

import java.math.BigInteger;
import java.security.Principal;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Set;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;

/**
 * A certificate as the JDK hands it out when it parsed it with no provider knowing the key's
 * algorithm (ML-DSA, composite keys before Bouncy Castle is registered): {@link #getPublicKey()} is
 * a generic key named by its OID and re-encoded with NULL parameters. The JDK caches parsed
 * certificates by their encoding, so a test cannot make it parse one afresh; everything else is
 * the real certificate's.
 */
final class GenericKeyCertificate extends X509Certificate {
    private final X509Certificate real;

    GenericKeyCertificate(X509Certificate real) {
        this.real = real;
    }

    @Override
    public PublicKey getPublicKey() {
        try {
            SubjectPublicKeyInfo spki = TBSCertificate.getInstance(real.getTBSCertificate()).getSubjectPublicKeyInfo();
            String oid = spki.getAlgorithm().getAlgorithm().getId();
            byte[] encoded = new SubjectPublicKeyInfo(new AlgorithmIdentifier(spki.getAlgorithm().getAlgorithm(),
                    DERNull.INSTANCE), spki.getPublicKeyData().getBytes()).getEncoded();
            return new PublicKey() {
                @Override
                public String getAlgorithm() {
                    return oid;
                }

                @Override
                public String getFormat() {
                    return "X.509";
                }

                @Override
                public byte[] getEncoded() {
                    return encoded.clone();
                }
            };
        } catch (CertificateEncodingException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // everything below is the real certificate's

    @Override
    public byte[] getEncoded() throws CertificateEncodingException {
        return real.getEncoded();
    }

    @Override
    public void verify(PublicKey key) throws CertificateException, java.security.NoSuchAlgorithmException,
            java.security.InvalidKeyException, java.security.NoSuchProviderException, java.security.SignatureException {
        real.verify(key);
    }

    @Override
    public void verify(PublicKey key, String sigProvider) throws CertificateException, java.security.NoSuchAlgorithmException,
            java.security.InvalidKeyException, java.security.NoSuchProviderException, java.security.SignatureException {
        real.verify(key, sigProvider);
    }

    @Override
    public String toString() {
        return real.toString();
    }

    @Override
    public void checkValidity() throws java.security.cert.CertificateExpiredException,
            java.security.cert.CertificateNotYetValidException {
        real.checkValidity();
    }

    @Override
    public void checkValidity(Date date) throws java.security.cert.CertificateExpiredException,
            java.security.cert.CertificateNotYetValidException {
        real.checkValidity(date);
    }

    @Override
    public int getVersion() {
        return real.getVersion();
    }

    @Override
    public BigInteger getSerialNumber() {
        return real.getSerialNumber();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getIssuerDN() {
        return real.getIssuerDN();
    }

    @Override
    public javax.security.auth.x500.X500Principal getIssuerX500Principal() {
        return real.getIssuerX500Principal();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getSubjectDN() {
        return real.getSubjectDN();
    }

    @Override
    public javax.security.auth.x500.X500Principal getSubjectX500Principal() {
        return real.getSubjectX500Principal();
    }

    @Override
    public Date getNotBefore() {
        return real.getNotBefore();
    }

    @Override
    public Date getNotAfter() {
        return real.getNotAfter();
    }

    @Override
    public byte[] getTBSCertificate() throws CertificateEncodingException {
        return real.getTBSCertificate();
    }

    @Override
    public byte[] getSignature() {
        return real.getSignature();
    }

    @Override
    public String getSigAlgName() {
        return real.getSigAlgName();
    }

    @Override
    public String getSigAlgOID() {
        return real.getSigAlgOID();
    }

    @Override
    public byte[] getSigAlgParams() {
        return real.getSigAlgParams();
    }

    @Override
    public boolean[] getIssuerUniqueID() {
        return real.getIssuerUniqueID();
    }

    @Override
    public boolean[] getSubjectUniqueID() {
        return real.getSubjectUniqueID();
    }

    @Override
    public boolean[] getKeyUsage() {
        return real.getKeyUsage();
    }

    @Override
    public java.util.List<String> getExtendedKeyUsage() throws java.security.cert.CertificateParsingException {
        return real.getExtendedKeyUsage();
    }

    @Override
    public int getBasicConstraints() {
        return real.getBasicConstraints();
    }

    @Override
    public boolean hasUnsupportedCriticalExtension() {
        return real.hasUnsupportedCriticalExtension();
    }

    @Override
    public Set<String> getCriticalExtensionOIDs() {
        return real.getCriticalExtensionOIDs();
    }

    @Override
    public Set<String> getNonCriticalExtensionOIDs() {
        return real.getNonCriticalExtensionOIDs();
    }

    @Override
    public byte[] getExtensionValue(String oid) {
        return real.getExtensionValue(oid);
    }
}
