package org.puente.model.catalogue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.puente.model.AgencyRef;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;

/**
 * Everything the agreement says about one message type: who may send it to whom, on which legal
 * basis, for which purposes, how it is labelled, how long it may travel, and which schema versions
 * its payload may follow.
 *
 * @param type              the type name, e.g. {@code cargo.manifest}
 * @param description       what the message is for, in English and Spanish
 * @param routes            permitted sender/receiver pairs (always across the border)
 * @param legalBases        ids of the legal bases a message of this type may cite
 * @param purposes          ids of the purposes a message of this type may state
 * @param sensitivity       the minimum handling label
 * @param defaultTimeToLive applied when a submission gives none
 * @param maxTimeToLive     the longest time-to-live a submission may ask for
 * @param defaultPriority   applied when a submission gives none
 * @param schemaVersions    accepted payload schema versions, oldest first
 */
public record MessageTypeDefinition(
        String type,
        LocalizedText description,
        List<RouteRule> routes,
        List<String> legalBases,
        List<String> purposes,
        Sensitivity sensitivity,
        Duration defaultTimeToLive,
        Duration maxTimeToLive,
        Priority defaultPriority,
        List<SchemaVersion> schemaVersions) {

    public MessageTypeDefinition {
        routes = List.copyOf(routes);
        legalBases = List.copyOf(legalBases);
        purposes = List.copyOf(purposes);
        schemaVersions = List.copyOf(schemaVersions);
    }

    /** Whether {@code from} may send this type to {@code to}. */
    public boolean mayRoute(AgencyRef from, AgencyRef to) {
        return routes.stream().anyMatch(r -> r.from().equals(from) && r.to().equals(to));
    }

    /** The accepted schema version with this number, if any. */
    public Optional<SchemaVersion> schemaVersion(String version) {
        return schemaVersions.stream().filter(v -> v.version().equals(version)).findFirst();
    }

    /** The version numbers accepted, e.g. {@code [1.0, 1.1]}. */
    public List<String> versionNumbers() {
        return schemaVersions.stream().map(SchemaVersion::version).toList();
    }

    /** The newest accepted version (the last one listed). */
    public SchemaVersion latestVersion() {
        return schemaVersions.get(schemaVersions.size() - 1);
    }
}
