package org.puente.envelope;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.keys.RecipientInfoFactory;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;

/** Byte-level operations on envelopes for the corruption and fuzz tests. */
final class Surgery {
    private Surgery() {
    }

    static byte[] encoded(ASN1ObjectIdentifier oid) {
        try {
            return oid.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static int indexOf(byte[] data, byte[] pattern) {
        return indexOf(data, pattern, 0);
    }

    static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("pattern not found");
    }

    static int lastIndexOf(byte[] data, byte[] pattern) {
        for (int i = data.length - pattern.length; i >= 0; i--) {
            if (Arrays.equals(data, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("pattern not found");
    }

    /** A copy with one byte XOR-ed with 0x01. */
    static byte[] flip(byte[] data, int index) {
        byte[] copy = data.clone();
        copy[index] ^= 0x01;
        return copy;
    }

    /** A copy with one byte set. */
    static byte[] set(byte[] data, int index, int value) {
        byte[] copy = data.clone();
        copy[index] = (byte) value;
        return copy;
    }

    /** Replaces the last arc byte of the first (or last) occurrence of an OID encoding. */
    static byte[] changeOid(byte[] data, ASN1ObjectIdentifier oid, int newLastByte, boolean lastOccurrence) {
        byte[] pattern = encoded(oid);
        int at = lastOccurrence ? lastIndexOf(data, pattern) : indexOf(data, pattern);
        return set(data, at + pattern.length - 1, newLastByte);
    }

    /** The inner ContentInfo(SignedData) of an envelope, decrypted with the recipient's keys. */
    static byte[] decrypt(byte[] envelope, KeyMaterial recipientKeys) {
        try {
            CMSAuthEnvelopedData data = new CMSAuthEnvelopedData(envelope);
            for (RecipientInformation ri : data.getRecipientInfos().getRecipients()) {
                var recipient = recipientKeys.recipientFor(ri, CryptoProviders.RECOMMENDED);
                if (recipient.isPresent()) {
                    return ri.getContent(recipient.get());
                }
            }
            throw new IllegalArgumentException("not for these keys");
        } catch (CMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encrypts arbitrary inner bytes (as id-data) for a recipient, the way the sealer does. */
    static byte[] encrypt(byte[] inner, X509Certificate recipient, AlgorithmProfile profile) {
        try {
            CMSAuthEnvelopedDataGenerator gen = new CMSAuthEnvelopedDataGenerator();
            gen.addRecipientInfoGenerator(RecipientInfoFactory.forRecipient(recipient, profile,
                    CryptoProviders.RECOMMENDED));
            OutputAEADEncryptor enc = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(
                    AlgorithmProfile.CONTENT_CIPHER).setProvider(CryptoProviders.bouncyCastle()).build();
            return gen.generate(new CMSProcessableByteArray(inner), enc).getEncoded();
        } catch (CMSException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
