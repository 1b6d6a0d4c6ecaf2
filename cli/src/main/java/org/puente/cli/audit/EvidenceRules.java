package org.puente.cli.audit;

import java.time.Clock;
import java.time.Duration;
import org.puente.audit.verify.AuditVerification;
import org.puente.audit.verify.CheckpointRules;
import picocli.CommandLine.Option;

/**
 * What an auditor demands of the checkpoints besides their signatures: the cadence (how long an
 * entry may wait for a checkpoint) and whether evidence made before the audit key is accepted.
 */
public final class EvidenceRules {
    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "PT5M",
            description = "The gateway's checkpoint interval where no checkpoint states it (default ${DEFAULT-VALUE},"
                    + " the gateway's default). Checkpoints sign their own interval.")
    Duration interval;

    @Option(names = "--max-checkpoint-gap", paramLabel = "DURATION",
            description = "The longest an entry may wait for a checkpoint, e.g. PT2H for a known outage (default: "
                    + CheckpointRules.FACTOR + " x the checkpoint interval each checkpoint states).")
    Duration maxGap;

    @Option(names = "--legacy",
            description = "Also accept evidence made before the audit key existed (exports of format 1, checkpoints that"
                    + " name no predecessor), signed with the gateway's message key. Reported: that key could have made it.")
    boolean legacy;

    AuditVerification.Options options() {
        return new AuditVerification.Options(interval, maxGap, legacy, Clock.systemUTC());
    }
}
