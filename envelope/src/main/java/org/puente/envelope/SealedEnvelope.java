package org.puente.envelope;

/**
 * A sealed envelope: the CMS bytes to send and their SHA-256 (what the receipt will name).
 *
 * @param bytes  ContentInfo(AuthEnvelopedData), BER with definite-length DER inside (see docs/security.md)
 * @param sha256 SHA-256 of {@code bytes}
 */
public record SealedEnvelope(byte[] bytes, byte[] sha256) {
}
