package org.puente.envelope;

import java.security.GeneralSecurityException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.io.InvalidCipherTextIOException;
import org.puente.envelope.keys.WholeContentRecipient;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Tells a failed authentication (wrong key, changed ciphertext, nonce or tag: decryption_failed)
 * from a structure that ends early or is malformed around the ciphertext (envelope_unreadable).
 */
final class DecryptionFailures {
    private DecryptionFailures() {
    }

    static PuenteException classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WholeContentRecipient.AuthenticationFailure || t instanceof InvalidCipherTextIOException
                    || t instanceof InvalidCipherTextException || t instanceof GeneralSecurityException) {
                return new PuenteException(ErrorCode.DECRYPTION_FAILED, e);
            }
        }
        return new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "the encrypted content ends early or is malformed");
    }
}
