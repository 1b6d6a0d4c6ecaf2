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
 * Test JVMs run side by side ({@code forkCount} 2) cannot see each other's handed-out ports, and
 * a gateway binds its ports seconds after they were chosen (its peer starts first): each test JVM
 * numbered by Surefire ({@value #FORK_PROPERTY}{@code =fork-N}, pom.xml: a value that is the
 * placeholder alone reaches the JVM empty) draws from its own quarter of the range (a fifth fork
 * would share the first's; no module runs more than two).
 */
public final class FreePorts {
    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    private static final int SLICES = 4;
    static final String FORK_PROPERTY = "puente.test.fork";
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /**
     * A port in 20000–31999 (in a test JVM, in its fork's quarter of that range) that nothing
     * listens on now and that this JVM has not handed out before.
     */
    public static int next() {
        int[] range = range(System.getProperty(FORK_PROPERTY));
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(range[0], range[1]);
            if (isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + range[0] + " and " + (range[1] - 1));
    }

    /** The ports [first, last) a JVM draws from: the whole range, or a Surefire fork's slice of it. */
    static int[] range(String fork) {
        if (fork == null || !fork.matches("fork-[1-9][0-9]{0,8}")) {
            return new int[] {FIRST, LAST};
        }
        int width = (LAST - FIRST) / SLICES;
        int first = FIRST + (Integer.parseInt(fork.substring("fork-".length())) - 1) % SLICES * width;
        return new int[] {first, first + width};
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
