package org.puente.routes.camel;

/** Route id spelling: kebab-case {@code <direction>-<step>} (CONVENTIONS.md 2). */
final class RouteNames {
    private RouteNames() {
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
    }
}
