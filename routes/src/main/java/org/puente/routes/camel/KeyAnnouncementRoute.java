package org.puente.routes.camel;

import org.apache.camel.builder.RouteBuilder;
import org.puente.engine.keys.KeyAnnouncements;

/**
 * The key announcements' schedule: every 15 seconds (the first soon after start) this gateway
 * seals to a newer peer certificate another instance adopted, and announces its own encryption
 * certificate to the peer until the peer confirms it (after every start and every key reload).
 */
public final class KeyAnnouncementRoute extends RouteBuilder {
    static final String ROUTE_ID = "key-announcement";

    private final KeyAnnouncements announcements;

    public KeyAnnouncementRoute(KeyAnnouncements announcements) {
        this.announcements = announcements;
    }

    @Override
    public void configure() {
        from(Endpoints.tick(ROUTE_ID, 15_000, 3_000)).routeId(ROUTE_ID)
                .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(announcements, "adoptStored").id(ROUTE_ID + "-adopt")
                .bean(announcements, "announceIfPending").id(ROUTE_ID + "-announce");
    }
}
