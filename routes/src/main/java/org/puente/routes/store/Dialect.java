package org.puente.routes.store;

/** The two databases Puente runs on; the few statements that differ are chosen by this. */
public enum Dialect {
    /** Embedded, file mode: the default, nothing to install. One gateway instance per data directory. */
    H2,
    /** Production, and several gateway instances per country sharing one database. */
    POSTGRESQL;

    /** Row-claiming suffix: instances skip rows another instance has locked. */
    public String skipLocked() {
        return " FOR UPDATE SKIP LOCKED";
    }
}
