package org.puente.engine.work;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner a gateway process's leases carry. A named instance on a shared database that holds its
 * name runs as {@code gateway/instance/run}, so that its next run can void the leases of this one
 * ({@link WorkRunner#releaseLeasesOfEarlierRuns}); every other process runs as {@code gateway/run}
 * (run: a random UUID), whose leases only lapse. An instance that cannot take its name runs
 * unnamed: a later namesake that takes the name must not void the leases of a live process.
 *
 * @param value    the owner written in the leases
 * @param instance the prefix of the named instance's owners, when this process holds the name
 */
public record LeaseOwner(String value, Optional<String> instance) {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseOwner.class);

    /**
     * @param instanceId the configured name, if any (on a shared database only)
     * @param takeName   takes the name for the life of the process; false when a live session holds it
     */
    public static LeaseOwner of(String gatewayName, Optional<String> instanceId, Predicate<String> takeName) {
        if (instanceId.isPresent()) {
            String instance = gatewayName + "/" + instanceId.get() + "/";
            if (takeName.test(instance)) {
                return new LeaseOwner(instance + UUID.randomUUID(), Optional.of(instance));
            }
            LOG.warn("instance {} is held by another session on the database (a live process under the same"
                    + " puente.db.instance-id, or a dead one's connection the server has not yet dropped): this process"
                    + " runs unnamed, and the jobs its earlier runs claimed wait for their leases to lapse", instance);
        }
        return new LeaseOwner(gatewayName + "/" + UUID.randomUUID(), Optional.empty());
    }
}
