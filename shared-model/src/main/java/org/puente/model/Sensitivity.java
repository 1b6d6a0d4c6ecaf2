package org.puente.model;

/**
 * Handling label carried by every message; ordered from least to most restricted.
 *
 * <p>{@code LAW_ENFORCEMENT_SENSITIVE} information is originator-controlled: no onward disclosure
 * without the provider's prior written consent (CMAA confidentiality clause).
 */
public enum Sensitivity {
    OFFICIAL,
    COMMERCIAL_CONFIDENTIAL,
    LAW_ENFORCEMENT_SENSITIVE;

    /** Whether this label is at least as restrictive as {@code other}. */
    public boolean atLeast(Sensitivity other) {
        return compareTo(other) >= 0;
    }
}
