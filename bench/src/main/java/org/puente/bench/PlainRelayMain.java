package org.puente.bench;

import org.apache.camel.main.Main;

/**
 * Starts the plain relay baseline with a gateway's configuration (same keys, same ports):
 * {@code java -cp bench/target/bench.jar:gateway-us/target/gateway-us.jar org.puente.bench.PlainRelayMain}. Benchmarks only.
 */
public final class PlainRelayMain {
    private PlainRelayMain() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addConfiguration(PlainRelayConfiguration.class);
        System.exit(main.run(args));
    }
}
