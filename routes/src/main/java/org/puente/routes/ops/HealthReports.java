package org.puente.routes.ops;

import java.time.Instant;
import java.util.Map;

/** Liveness and readiness as the operations API reports them (JSON), whatever evaluates them. */
public interface HealthReports {

    /**
     * One evaluation.
     *
     * @param up     whether every check counted for this report is up
     * @param checks every check by name, counted or informative (the peer link)
     */
    record HealthReport(boolean up, Instant at, Map<String, HealthMonitor.Check> checks) {
    }

    HealthReport liveness();

    HealthReport readiness();
}
