package org.puente.routes.api;

import org.puente.engine.api.Json;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import org.puente.engine.answer.AnswerRows;
import org.puente.engine.answer.BusinessAnswers;
import org.puente.model.CanonicalJson;
import org.puente.model.answer.BusinessAnswer;
import java.util.UUID;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.config.GatewayConfig;
import org.puente.engine.inbound.MailboxService;
import org.puente.engine.outbound.StatusService;
import org.puente.engine.outbound.SubmissionService;
import org.puente.engine.inbound.InboxEntry;
import org.puente.engine.inbound.MailboxMessages;
import org.puente.engine.outbound.BatchRequests;

/**
 * The agency API operations: turns typed requests into calls of the exchange services and their
 * results into JSON responses. No Camel, no transport headers: the edge has done that.
 */
public final class AgencyHandler {
    public static final String JSON = "application/json";
    private static final String OPENAPI_RESOURCE = "/org/puente/routes/api/agency-api.json";

    private final SubmissionService submissions;
    private final StatusService statuses;
    private final MailboxService mailboxes;
    private final BusinessAnswers answers;
    private final GatewayConfig.Limits limits;
    private final byte[] openApi;

    public AgencyHandler(SubmissionService submissions, StatusService statuses, MailboxService mailboxes,
                         BusinessAnswers answers, GatewayConfig.Limits limits) {
        this.submissions = submissions;
        this.statuses = statuses;
        this.mailboxes = mailboxes;
        this.answers = answers;
        this.limits = limits;
        this.openApi = resource(OPENAPI_RESOURCE);
    }

    public Response submit(ApiRequest r) {
        requireJson(r);
        SubmissionService.Accepted a = submissions.submit(r.caller(), r.body(), r.idempotencyKey());
        return Response.accepted(Json.write(AgencyBodies.Accepted.of(a, r.locale()))).type(JSON)
                .location(URI.create(AgencyBodies.statusUrl(a.messageId().toString()))).build();
    }

    public Response submitBatch(ApiRequest r) {
        requireJson(r);
        List<SubmissionService.Item> items = BatchRequests.items(r.body(), limits.maxBatchItems());
        List<SubmissionService.ItemResult> results = submissions.submitBatch(r.caller(), items);
        return Response.ok(Json.write(AgencyBodies.BatchAnswer.of(results, r.locale())), JSON).build();
    }

    public Response status(ApiRequest r) {
        StatusService.StatusView v = statuses.status(r.caller(), messageId(r));
        return Response.ok(Json.write(AgencyBodies.Status.of(v, r.locale())), JSON).build();
    }

    public Response inbox(ApiRequest r) {
        long after = r.param("after").map(v -> AgencyBodies.number("after", v)).orElse(0L);
        int limit = (int) Math.min(MailboxService.MAX_PAGE, r.param("limit").map(v -> AgencyBodies.number("limit", v)).orElse(50L));
        List<InboxEntry> page = mailboxes.list(r.caller(), after, limit);
        long next = page.isEmpty() ? after : page.get(page.size() - 1).mailboxSeq();
        return Response.ok(MailboxMessages.page(page, next), JSON).build();
    }

    public Response inboxMessage(ApiRequest r) {
        return Response.ok(MailboxMessages.one(mailboxes.get(r.caller(), messageId(r))), JSON).build();
    }

    /** The payload bytes exactly as the sending agency submitted them. */
    public Response inboxPayload(ApiRequest r) {
        InboxEntry e = mailboxes.get(r.caller(), messageId(r));
        return Response.ok(e.payload(), JSON).header("Puente-Message-Id", e.messageId().toString()).build();
    }

    public Response acknowledge(ApiRequest r) {
        InboxEntry e = mailboxes.acknowledge(r.caller(), messageId(r));
        return Response.ok(Json.write(new AgencyBodies.Acknowledged(e.messageId().toString(), true,
                e.acknowledgedAt() == null ? null : e.acknowledgedAt().toString())), JSON).build();
    }

    /** The caller's business answer to a message of its mailbox; it travels back to the sender signed. */
    public Response answer(ApiRequest r) {
        requireJson(r);
        BusinessAnswer answer;
        try {
            answer = CanonicalJson.read(r.body(), BusinessAnswer.class);
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.INVALID_ANSWER, "not an answer document: {\"status\": ..., \"reasons\": [...]}");
        }
        AnswerRows.Row row = answers.answer(r.caller(), messageId(r), answer);
        return Response.ok(Json.write(AgencyBodies.Answer.of(row)), JSON).build();
    }

    public Response openApi(ApiRequest r) {
        return Response.ok(openApi, JSON).build();
    }

    private static void requireJson(ApiRequest r) {
        String type = r.contentType() == null ? "" : r.contentType().toLowerCase();
        if (!type.startsWith("application/json")) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, r.contentType() == null ? "(none)" : r.contentType(),
                    JSON);
        }
    }

    static UUID messageId(ApiRequest r) {
        String raw = r.param("id").orElse("");
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.NOT_FOUND, "message", raw);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = AgencyHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
