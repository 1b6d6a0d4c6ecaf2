package org.puente.model;

/** The two parties to the agreement, by ISO 3166 alpha-2 code. */
public enum Country {
    US,
    MX;

    /** The other side of the border. */
    public Country peer() {
        return this == US ? MX : US;
    }
}
