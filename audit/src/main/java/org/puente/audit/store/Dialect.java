package org.puente.audit.store;

/** The two databases Puente runs on; the few statements that differ are chosen by this. */
public enum Dialect {
    /**
     * Embedded, in the data directory: the default, nothing to install. One gateway process owns
     * its data directory; every write goes through that process's single writer.
     */
    SQLITE(""),
    /** Production, and several gateway instances per country sharing one database. */
    POSTGRESQL(" FOR UPDATE");

    private final String forUpdate;

    Dialect(String forUpdate) {
        this.forUpdate = forUpdate;
    }

    /** Row lock for a read that a write of the same unit depends on (nothing to lock on SQLite: one writer). */
    public String forUpdate() {
        return forUpdate;
    }

    /** Row-claiming suffix: instances skip rows another instance has locked. */
    public String skipLocked() {
        return this == POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
    }
}
