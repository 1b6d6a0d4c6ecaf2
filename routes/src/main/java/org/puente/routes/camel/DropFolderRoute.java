package org.puente.routes.camel;

import java.io.IOException;
import org.apache.camel.builder.RouteBuilder;
import org.puente.engine.Gateway;
import org.puente.engine.config.DropFolderConfig;
import org.puente.engine.drop.DropIntake;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The drop folders: per agency client, a file consumer on its inbound folder (each file submitted
 * through the one pipeline), a sweep for dangling links, and a scan of its outbound folder for
 * the files it took (acknowledgements). Writing received messages into outbound folders is work
 * of the queue ({@code DROP_FILE}, {@link WorkRoute}). Failures are background failures: the file
 * stays and is taken again. A folder the agency tampered with (a symbolic link where
 * {@code processed/} or {@code rejected/} must be, a folder not owned by the gateway) fails the
 * cycle with {@code unsafe_file}: logged and counted ({@code gateway.background.failures}, tagged
 * with the route and the code) until an operator restores it.
 */
public final class DropFolderRoute extends RouteBuilder {
    /** Temporary names of the rename convention, and done-files themselves: never taken. */
    static final String EXCLUDE = ".*\\.(tmp|part|done)$";

    private final DropFolderConfig drops;
    private final Gateway gateway;

    public DropFolderRoute(DropFolderConfig drops, Gateway gateway) {
        this.drops = drops;
        this.gateway = gateway;
    }

    @Override
    public void configure() {
        long poll = drops.pollInterval().toMillis();
        for (DropFolderConfig.Folder f : drops.folders()) {
            prepare(f);
            String id = f.client().id();
            if (f.inbound().isPresent()) {
                DropEdge edge = new DropEdge(f, gateway.dropIntake().orElseThrow());
                from(fileUri(f, poll)).routeId("drop-inbound-" + id).routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                        .bean(edge, "take").id("drop-inbound-" + id + "-take");
                from(Endpoints.tick("drop-inbound-sweep-tick-" + id, poll * 10)).routeId("drop-inbound-sweep-" + id)
                        .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                        .bean(edge, "sweep").id("drop-inbound-sweep-" + id + "-links");
            }
        }
        gateway.dropAcknowledgements().ifPresent(acks ->
                from(Endpoints.tick("drop-outbound-tick", poll)).routeId("drop-outbound-acknowledge")
                        .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                        .bean(acks, "scan").id("drop-outbound-acknowledge-scan"));
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

    /** Creates and checks the folders at start-up: one that cannot be used stops the gateway, naming its keys. */
    private static void prepare(DropFolderConfig.Folder f) {
        try {
            DropIntake.prepare(f);
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "puente.client." + f.client().id()
                    + ".drop.* names a folder that cannot be created: " + e.getMessage());
        } catch (PuenteException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "puente.client." + f.client().id()
                    + ".drop.* names a folder the gateway refuses to use (" + e.errorCode().code() + "): " + e.getMessage());
        }
    }
}
