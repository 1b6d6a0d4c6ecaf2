package org.puente.envelope.keys;

/**
 * Decrypted and authenticated content, in a buffer that may be longer than the content.
 *
 * @param buffer holds the plaintext in its first {@code length} bytes
 * @param length number of plaintext bytes
 */
public record DecryptedContent(byte[] buffer, int length) {
}
