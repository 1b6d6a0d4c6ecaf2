package org.puente.gateway.us;

import org.puente.routes.camel.GatewayMain;

/**
 * The United States gateway (CBP, ICE/HSI): the shared engine with this module's
 * {@code application.properties}. Run with {@code java -jar gateway-us/target/gateway-us.jar}.
 */
public final class UsGateway {
    private UsGateway() {
    }

    public static void main(String[] args) {
        GatewayMain.run(args);
    }
}
