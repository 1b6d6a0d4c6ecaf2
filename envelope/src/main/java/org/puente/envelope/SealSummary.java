package org.puente.envelope;

/**
 * What a streamed seal wrote.
 *
 * @param length number of envelope bytes written
 * @param sha256 SHA-256 of those bytes
 */
public record SealSummary(long length, byte[] sha256) {
}
