package org.puente.envelope.statement;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A signed statement whose signature verified and whose signer passed the trust rules.
 *
 * @param type        the statement type (from its eContentType)
 * @param content     the signed content (canonical JSON, as signed)
 * @param signer      the signer's certificate
 * @param signerPath  the validated path, signer first, without the root
 * @param signingTime the signed signing-time attribute
 */
public record VerifiedStatement(StatementType type, byte[] content, X509Certificate signer,
                                List<X509Certificate> signerPath, Instant signingTime) {
}
