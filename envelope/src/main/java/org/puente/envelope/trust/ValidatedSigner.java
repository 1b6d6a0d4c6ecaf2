package org.puente.envelope.trust;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A signer certificate that passed every trust rule, with the path that was validated.
 *
 * @param certificate the signer's certificate
 * @param path        the certificate path, signer first, up to (not including) the trusted root
 * @param root        the trusted root the path ends at
 */
public record ValidatedSigner(X509Certificate certificate, List<X509Certificate> path, X509Certificate root) {
}
