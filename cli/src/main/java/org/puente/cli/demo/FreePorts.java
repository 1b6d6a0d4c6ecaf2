package org.puente.cli.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for gateways run side by side on one machine ({@code puente demo},
 * {@code puente load}, the tests).
 *
 * <p>Implementation note: ports are taken below Linux's ephemeral range (32768–60999 by default).
 * A port the kernel hands out for {@code bind(0)} lies inside that range, where every outgoing
 * connection of every process also takes its local port; between choosing such a port and the
 * gateway binding it, an outgoing connection took it ("Address already in use" in a CI run).
 * A port is never handed out twice in one JVM: two gateways' ports are chosen before either
 * binds, and a CI run once gave one gateway's agency port to the other's operations listener.
 */
public final class FreePorts {
    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port in 20000–31999 that nothing listens on now and that this JVM has not handed out before. */
    public static int next() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
            if (isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + FIRST + " and " + LAST);
    }

    /** Whether {@code port} can be bound on loopback now. */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
