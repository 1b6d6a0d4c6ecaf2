package org.puente.envelope.signature;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A CMS signature that verified and whose signer passed the trust rules.
 *
 * @param signer      the signer's certificate
 * @param path        the validated path, signer first, without the root
 * @param signingTime the signed signing-time attribute
 */
public record VerifiedSignature(X509Certificate signer, List<X509Certificate> path, Instant signingTime) {
}
