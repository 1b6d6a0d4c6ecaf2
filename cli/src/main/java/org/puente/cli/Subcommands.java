package org.puente.cli;

import java.util.List;

/** The list of top-level commands, kept in one place so each command stays in its own package. */
final class Subcommands {
    private Subcommands() {
    }

    static List<Object> all() {
        return List.of();
    }
}
