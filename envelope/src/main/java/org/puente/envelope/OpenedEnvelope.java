package org.puente.envelope;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.puente.model.EnvelopeHeader;

/**
 * An envelope that was decrypted, whose signature verified, whose signer passed every trust rule
 * and whose signed header equals the routing header it arrived with.
 *
 * @param header         the signed header
 * @param payload        the payload bytes exactly as the sender submitted them
 * @param signer         the peer gateway's signing certificate
 * @param signerPath     the validated certificate path, signer first, without the root
 * @param signingTime    the signed signing-time attribute
 * @param envelopeSha256 SHA-256 of the envelope bytes as received
 * @param payloadSha256  SHA-256 of the payload
 */
public record OpenedEnvelope(
        EnvelopeHeader header,
        byte[] payload,
        X509Certificate signer,
        List<X509Certificate> signerPath,
        Instant signingTime,
        byte[] envelopeSha256,
        byte[] payloadSha256) {
}
