package org.puente.system;


/** A free loopback port for a test gateway. */
final class LocalExchangePorts {
    private LocalExchangePorts() {
    }

    static int free() {
        return org.puente.cli.demo.FreePorts.next();
    }
}
