package org.puente.envelope.keys;

import java.security.InvalidAlgorithmParameterException;
import java.time.Instant;
import java.util.Hashtable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.crypto.SigningTimes;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** Builds Bouncy Castle signers around a key that never leaves this package. */
final class Signers {
    private Signers() {
    }

    static SignerInfoGenerator signerInfoGenerator(KeyMaterial.Entry entry, AlgorithmProfile profile,
                                                   CryptoProviders providers, Instant signingTime) {
        try {
            JcaContentSignerBuilder builder = profile.signatureParameters() == null
                    ? new JcaContentSignerBuilder(profile.signatureName())
                    : new JcaContentSignerBuilder(profile.signatureName(), profile.signatureParameters());
            // a key in a PKCS#11 token signs inside the token, through the provider that holds it
            ContentSigner signer = builder.setProvider(entry.token() != null ? entry.token() : providers.asymmetric())
                    .build(entry.key());
            return new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(providers.digest()).build())
                    .setSignedAttributeGenerator(signedAttributes(signingTime))
                    .build(signer, entry.holder());
        } catch (OperatorCreationException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof InvalidAlgorithmParameterException || e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage();
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "the signing key does not fit the profile " + profile.cliName() + ": " + why);
        }
    }

    private static CMSAttributeTableGenerator signedAttributes(Instant signingTime) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new Attribute(CMSAttributes.signingTime, new DERSet(SigningTimes.encode(signingTime))));
        Hashtable<Object, Object> table = new AttributeTable(v).toHashtable();
        return new DefaultSignedAttributeTableGenerator(new AttributeTable(table));
    }
}
