package org.puente.routes.camel;

import org.apache.camel.main.Main;
import org.puente.model.error.PuenteException;
import org.puente.routes.ops.GatewayLogFields;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts a gateway with Camel Main: {@code application.properties} from the classpath (the
 * country's gateway module), overridden by JVM system properties and environment variables.
 * A configuration error stops the process with one line naming the key, and exit code 2.
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void run(String[] args) {
        GatewayLogFields.identifyFromStartup();
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Main main = new Main();
        main.configure().addConfiguration(GatewayConfiguration.class);
        try {
            int code = main.run(args);
            System.exit(code);
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && !(root instanceof PuenteException)) {
                root = root.getCause();
            }
            System.err.println("puente gateway: cannot start: " + root.getMessage());
            System.exit(2);
        }
    }
}
