package org.puente.envelope.keys;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.Provider;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.InputStreamWithMAC;
import org.bouncycastle.jcajce.io.CipherInputStream;
import org.bouncycastle.operator.InputAEADDecryptor;

/**
 * AES-GCM content decryption through a chosen JCA provider.
 *
 * <p>Implementation note: Bouncy Castle's own recipient classes look the GCM parameters up by
 * OID, which the JDK's SunJCE provider does not register, so with SunJCE as the content provider
 * they fail. This decryptor builds the JDK cipher from the parsed RFC 5084 parameters instead, which
 * keeps the ~45× faster JDK AES-GCM on the receiving side too.
 */
final class GcmContentDecryptor implements InputAEADDecryptor {
    private final AlgorithmIdentifier algorithm;
    private final Cipher cipher;
    private InputStream input;

    private GcmContentDecryptor(AlgorithmIdentifier algorithm, Cipher cipher) {
        this.algorithm = algorithm;
        this.cipher = cipher;
    }

    static GcmContentDecryptor create(Key contentKey, AlgorithmIdentifier algorithm, Provider provider)
            throws CMSException {
        try {
            GCMParameters params = GCMParameters.getInstance(algorithm.getParameters());
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(contentKey.getEncoded(), "AES"),
                    new GCMParameterSpec(params.getIcvLen() * 8, params.getNonce()));
            return new GcmContentDecryptor(algorithm, cipher);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CMSException("cannot initialise AES-GCM: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
    }

    @Override
    public InputStream getInputStream(InputStream in) {
        this.input = in;
        return new CipherInputStream(in, cipher);
    }

    @Override
    public OutputStream getAADStream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                cipher.updateAAD(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) {
                cipher.updateAAD(b, off, len);
            }
        };
    }

    /** Reads everything the content stream holds (ciphertext, then the tag) and decrypts it in place. */
    DecryptedContent decryptAll(int maxBytes) throws java.io.IOException {
        if (input == null) {
            throw new java.io.IOException("the content stream was not opened");
        }
        byte[] buffer = new byte[maxBytes];
        int n = input.readNBytes(buffer, 0, maxBytes);
        if (input.read() != -1) {
            throw new java.io.IOException("encrypted content longer than the envelope");
        }
        try {
            return new DecryptedContent(buffer, cipher.doFinal(buffer, 0, n, buffer, 0));
        } catch (javax.crypto.BadPaddingException
                 | javax.crypto.IllegalBlockSizeException | javax.crypto.ShortBufferException e) {
            throw new WholeContentRecipient.AuthenticationFailure(e);
        }
    }

    @Override
    public byte[] getMAC() {
        return input instanceof InputStreamWithMAC withMac ? withMac.getMAC() : null;
    }
}
