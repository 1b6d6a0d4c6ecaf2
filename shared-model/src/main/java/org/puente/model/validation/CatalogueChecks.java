package org.puente.model.validation;

import java.time.Duration;
import java.util.Optional;
import org.puente.model.AgencyRef;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.catalogue.MessageTypeDefinition;
import org.puente.model.catalogue.SchemaVersion;
import org.puente.model.error.ErrorCode;

/**
 * Checks a header against the catalogue: known type, accepted schema version, known agencies, a
 * permitted route, an allowed legal basis and purpose, a label at least as strict as the
 * agreement's, and a time-to-live within bounds.
 */
final class CatalogueChecks {
    private final MessageCatalogue catalogue;

    CatalogueChecks(MessageCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * Runs the checks.
     *
     * @return the type and version whose payload schema and rules apply, when both are known
     */
    Optional<SchemaVersion> check(HeaderView h, AgencyRef authenticatedSender, ProblemCollector problems) {
        boolean senderKnown = agencyKnown(h.sender(), "/sender", problems);
        boolean receiverKnown = agencyKnown(h.receiver(), "/receiver", problems);
        if (authenticatedSender != null && h.sender() != null && !authenticatedSender.equals(h.sender())) {
            problems.error(ErrorCode.SENDER_MISMATCH, "/sender", h.sender().toString(), authenticatedSender.toString());
        }
        if (h.messageType() == null) {
            return Optional.empty();
        }
        Optional<MessageTypeDefinition> found = catalogue.type(h.messageType());
        if (found.isEmpty()) {
            problems.error(ErrorCode.UNKNOWN_MESSAGE_TYPE, "/messageType", h.messageType());
            return Optional.empty();
        }
        MessageTypeDefinition type = found.get();
        if (senderKnown && receiverKnown && !type.mayRoute(h.sender(), h.receiver())) {
            problems.error(ErrorCode.ROUTE_NOT_ALLOWED, "/receiver", h.sender().toString(), type.type(), h.receiver().toString());
        }
        if (h.legalBasis() != null && !type.legalBases().contains(h.legalBasis())) {
            problems.error(ErrorCode.LEGAL_BASIS_NOT_ALLOWED, "/legalBasis", h.legalBasis(), type.type(),
                    String.join(", ", type.legalBases()));
        }
        if (h.purpose() != null && !type.purposes().contains(h.purpose())) {
            problems.error(ErrorCode.PURPOSE_NOT_ALLOWED, "/purpose", h.purpose(), type.type(), String.join(", ", type.purposes()));
        }
        if (h.sensitivity() != null && !h.sensitivity().atLeast(type.sensitivity())) {
            problems.error(ErrorCode.SENSITIVITY_MISMATCH, "/sensitivity", h.sensitivity().name(), type.sensitivity().name());
        }
        checkTimeToLive(h.timeToLive(), type, problems);
        if (h.schemaVersion() == null) {
            return Optional.empty();
        }
        Optional<SchemaVersion> version = type.schemaVersion(h.schemaVersion());
        if (version.isEmpty()) {
            problems.error(ErrorCode.UNSUPPORTED_SCHEMA_VERSION, "/schemaVersion", type.type(), h.schemaVersion(),
                    String.join(", ", type.versionNumbers()));
        } else if (version.get().deprecated()) {
            problems.warning(ErrorCode.SCHEMA_VERSION_DEPRECATED, "/schemaVersion", type.type(), h.schemaVersion(),
                    type.latestVersion().version());
        }
        return version;
    }

    private boolean agencyKnown(AgencyRef agency, String pointer, ProblemCollector problems) {
        if (agency == null) {
            return false;
        }
        if (catalogue.agency(agency).isEmpty()) {
            problems.error(ErrorCode.UNKNOWN_AGENCY, pointer, agency.toString());
            return false;
        }
        return true;
    }

    /** ISO-8601 text as people write it: whole days as {@code P5D}, not {@code PT120H}. */
    static String text(Duration d) {
        return !d.isNegative() && !d.isZero() && d.toSeconds() % 86_400 == 0 && d.getNano() == 0 ? "P" + d.toDays() + "D" : d.toString();
    }

    private static void checkTimeToLive(Duration ttl, MessageTypeDefinition type, ProblemCollector problems) {
        if (ttl == null) {
            return;
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(type.maxTimeToLive()) > 0) {
            problems.error(ErrorCode.INVALID_TIME_TO_LIVE, "/timeToLive", text(ttl), text(type.maxTimeToLive()));
        }
    }
}
