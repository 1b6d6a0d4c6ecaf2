package org.puente.routes.camel;

import java.io.IOException;
import java.time.Clock;
import org.apache.camel.builder.RouteBuilder;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.config.DropFolderConfig;
import org.puente.routes.drop.DropDelivery;
import org.puente.routes.drop.DropIntake;

/**
 * The drop folders: per agency client, a file consumer on its inbound folder (each file submitted
 * through the one pipeline) and a periodic cycle writing its received messages to its outbound
 * folder. Failures are background failures: the file or message stays and is taken again.
 */
public final class DropFolderRoute extends RouteBuilder {
    /** Temporary names of the rename convention, and done-files themselves: never taken. */
    static final String EXCLUDE = ".*\\.(tmp|part|done)$";

    private final DropFolderConfig drops;
    private final GatewayAssembly assembly;

    public DropFolderRoute(DropFolderConfig drops, GatewayAssembly assembly) {
        this.drops = drops;
        this.assembly = assembly;
    }

    @Override
    public void configure() {
        DropIntake intake = new DropIntake(assembly.submissions, assembly.admission, assembly.config.country(), Clock.systemUTC());
        DropDelivery delivery = new DropDelivery(assembly.mailboxes, assembly.config.dataDir().resolve("drop-state"));
        long poll = drops.pollInterval().toMillis();
        for (DropFolderConfig.Folder f : drops.folders()) {
            prepare(f);
            String id = f.client().id();
            DropEdge edge = new DropEdge(f, DropIntake.principal(assembly.config.country(), f), intake, delivery);
            if (f.inbound().isPresent()) {
                from(fileUri(f, poll)).routeId("drop-inbound-" + id).routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                        .bean(edge, "take").id("drop-inbound-" + id + "-take");
                from(Endpoints.tick("drop-inbound-sweep-tick-" + id, poll * 10)).routeId("drop-inbound-sweep-" + id)
                        .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                        .bean(edge, "sweep").id("drop-inbound-sweep-" + id + "-links");
            }
            if (f.outbound().isPresent()) {
                from(Endpoints.tick("drop-outbound-tick-" + id, poll)).routeId("drop-outbound-" + id)
                        .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                        .bean(edge, "deliver").id("drop-outbound-" + id + "-deliver");
            }
        }
    }

    static String fileUri(DropFolderConfig.Folder f, long pollMillis) {
        // noop: the intake moves each file itself, after the submission is durable; idempotent=false: a
        // file left in place (the gateway was not ready) is taken again at the next scan.
        String uri = "file:" + f.inbound().orElseThrow().toAbsolutePath() + "?noop=true&idempotent=false&recursive=false"
                + "&autoCreate=false&startingDirectoryMustExist=true&readLock=none&sortBy=file:modified"
                + "&maxMessagesPerPoll=100&delay=" + pollMillis + "&initialDelay=" + pollMillis
                + "&exclude=RAW(" + EXCLUDE + ")";
        return f.doneFiles() ? uri + "&doneFileName=${file:name}.done" : uri;
    }

    private static void prepare(DropFolderConfig.Folder f) {
        try {
            DropIntake.prepare(f);
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "puente.client." + f.client().id()
                    + ".drop.* names a folder that cannot be created: " + e.getMessage());
        }
    }
}
