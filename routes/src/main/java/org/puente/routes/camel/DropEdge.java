package org.puente.routes.camel;

import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.puente.engine.config.DropFolderConfig;
import org.puente.engine.drop.DropIntake;
import org.puente.engine.drop.DropOutcome;

/**
 * Where a file found by Camel's file consumer becomes a gateway request: only its path is taken
 * from the exchange (never its name parsed from a header into a method call), every header is
 * dropped, and the folder's configured agency client is the caller.
 */
public final class DropEdge {
    private final DropFolderConfig.Folder folder;
    private final DropIntake intake;

    public DropEdge(DropFolderConfig.Folder folder, DropIntake intake) {
        this.folder = folder;
        this.intake = intake;
    }

    public DropOutcome take(Exchange exchange) {
        String path = exchange.getIn().getHeader(Exchange.FILE_PATH, String.class);
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setBody(null);
        return intake.take(folder, Path.of(path));
    }

    public int sweep() {
        return intake.sweepDanglingLinks(folder);
    }
}
