package org.puente.envelope.keys;

import java.io.IOException;
import org.bouncycastle.cms.Recipient;

/**
 * A recipient whose content is decrypted in one call over contiguous ciphertext, after
 * {@code RecipientInformation.getContentStream(recipient)} has unwrapped the content key.
 *
 * <p>Implementation note: the JDK's AES-GCM decryptor releases nothing before the tag verifies, so
 * fed in pieces it buffers the whole ciphertext in a doubling array and then returns a copy: about
 * four times the content at its peak. Read once into one array and decrypted in place, the content
 * costs one buffer.
 */
public interface WholeContentRecipient extends Recipient {

    /** Thrown when the authentication tag does not verify (or the key is wrong). */
    final class AuthenticationFailure extends IOException {
        private static final long serialVersionUID = 1L;

        AuthenticationFailure(Throwable cause) {
            super("AES-GCM authentication failed", cause);
        }
    }

    /**
     * Reads ciphertext and tag (at most {@code maxBytes}), verifies the tag and decrypts in place.
     *
     * @throws AuthenticationFailure if the tag does not verify
     * @throws IOException           if the structure around the ciphertext is malformed or too long
     */
    DecryptedContent decryptAll(int maxBytes) throws IOException;
}
