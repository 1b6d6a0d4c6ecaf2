package org.puente.routes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.puente.engine.cases.AssistanceCase;
import org.puente.engine.cases.AssistanceCases;
import org.puente.engine.cases.CaseEvent;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.security.ClientPrincipal;
import org.puente.model.AgencyRef;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** The JSON bodies of the assistance-case operations (docs/openapi/agency-api.json). */
public final class CaseBodies {
    static final int MAX_PAGE = 500;

    private CaseBodies() {
    }

    /** A case as an agency sees it; {@code overdue}: its deadline in {@code dueAt} passed unmet. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Case(String caseId, String role, String reference, String agency, String peerAgency, String legalBasis,
                String urgency, String state, String outcome, String confirmBy, String respondBy, String dueAt,
                boolean overdue, String openedAt, String closedAt) {
        static Case of(AssistanceCase k) {
            return new Case(k.caseId().toString(), k.role(), k.reference(), k.ourAgency(), k.peerAgency(), k.legalBasis(),
                    k.urgency(), k.state(), k.outcome(), text(k.confirmBy()), text(k.respondBy()), text(k.dueAt()),
                    k.overdueSince() != null, text(k.openedAt()), text(k.closedAt()));
        }
    }

    public record CaseList(List<Case> cases) {
        static CaseList of(List<AssistanceCase> cases) {
            return new CaseList(cases.stream().map(Case::of).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Event(String at, String event, String messageId, String detail) {
        static Event of(CaseEvent e) {
            return new Event(e.at().toString(), e.event(), e.messageId() == null ? null : e.messageId().toString(),
                    e.detail());
        }
    }

    public record CaseWithHistory(Case assistanceCase, List<Event> history) {
        static CaseWithHistory of(AssistanceCases.CaseHistory h) {
            return new CaseWithHistory(Case.of(h.kase()), h.events().stream().map(Event::of).toList());
        }
    }

    static AgencyRef agencyOf(ClientPrincipal caller) {
        if (!caller.is(ClientEntry.Role.AGENCY) || caller.agency().isEmpty()) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "only agency systems have assistance cases");
        }
        return caller.agency().get();
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }
}
