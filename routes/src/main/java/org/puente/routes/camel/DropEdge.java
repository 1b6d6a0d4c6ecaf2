package org.puente.routes.camel;

import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.puente.routes.config.DropFolderConfig;
import org.puente.routes.drop.DropDelivery;
import org.puente.routes.drop.DropIntake;
import org.puente.routes.drop.DropOutcome;
import org.puente.routes.security.ClientPrincipal;

/**
 * Where a file found by Camel's file consumer becomes a gateway request: only its path is taken
 * from the exchange (never its name parsed from a header into a method call), every header is
 * dropped, and the folder's configured agency client is the caller.
 */
public final class DropEdge {
    private final DropFolderConfig.Folder folder;
    private final ClientPrincipal agency;
    private final DropIntake intake;
    private final DropDelivery delivery;

    public DropEdge(DropFolderConfig.Folder folder, ClientPrincipal agency, DropIntake intake, DropDelivery delivery) {
        this.folder = folder;
        this.agency = agency;
        this.intake = intake;
        this.delivery = delivery;
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

    public int deliver() {
        return delivery.deliver(folder, agency);
    }
}
