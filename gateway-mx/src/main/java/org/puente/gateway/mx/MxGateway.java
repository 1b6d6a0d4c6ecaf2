package org.puente.gateway.mx;

import org.puente.routes.camel.GatewayMain;

/**
 * The Mexican gateway (ANAM, SAT): the shared engine with this module's
 * {@code application.properties}. Run with {@code java -jar gateway-mx/target/gateway-mx.jar}.
 */
public final class MxGateway {
    private MxGateway() {
    }

    public static void main(String[] args) {
        GatewayMain.run(args);
    }
}
