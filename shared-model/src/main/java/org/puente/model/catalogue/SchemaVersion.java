package org.puente.model.catalogue;

/**
 * One accepted version of a message type's payload schema.
 *
 * @param version    {@code MAJOR.MINOR}, e.g. {@code 1.0}
 * @param resource   the schema file, relative to the catalogue, e.g. {@code schemas/cargo.manifest/1.0.schema.json}
 * @param deprecated still accepted, but senders get a {@code schema_version_deprecated} warning
 */
public record SchemaVersion(String version, String resource, boolean deprecated) {
}
