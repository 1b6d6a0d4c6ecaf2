package org.puente.model.catalogue;

/**
 * A stated purpose of use; information received under the agreement may be used only for it.
 *
 * @param id    short kebab-case identifier carried in the header, e.g. {@code advance-cargo-risk-assessment}
 * @param title its meaning in English and Spanish
 */
public record Purpose(String id, LocalizedText title) {
}
