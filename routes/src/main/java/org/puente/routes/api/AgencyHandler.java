package org.puente.routes.api;

import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.config.GatewayConfig;
import org.puente.routes.exchange.MailboxService;
import org.puente.routes.exchange.StatusService;
import org.puente.routes.exchange.SubmissionService;
import org.puente.routes.store.InboxEntry;
import org.puente.routes.store.StatusStore;

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
    private final GatewayConfig.Limits limits;
    private final byte[] openApi;

    public AgencyHandler(SubmissionService submissions, StatusService statuses, MailboxService mailboxes,
                         GatewayConfig.Limits limits) {
        this.submissions = submissions;
        this.statuses = statuses;
        this.mailboxes = mailboxes;
        this.limits = limits;
        this.openApi = resource(OPENAPI_RESOURCE);
    }

    public Response submit(ApiRequest r) {
        requireJson(r);
        SubmissionService.Accepted a = submissions.submit(r.caller(), r.body(), r.idempotencyKey());
        return accepted(a);
    }

    public Response submitBatch(ApiRequest r) {
        requireJson(r);
        List<SubmissionService.Item> items = JsonBodies.batchItems(r.body(), limits.maxBatchItems());
        List<SubmissionService.ItemResult> results = submissions.submitBatch(r.caller(), items);
        List<Map<String, Object>> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            SubmissionService.ItemResult res = results.get(i);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", i);
            if (res.accepted() != null) {
                item.putAll(acceptedBody(res.accepted()));
                // an item's status is the HTTP status it would have had alone (docs/api.md), not the state
                item.put("status", 202);
            } else {
                item.put("status", ApiErrors.status(res.failure()));
                item.put("error", ApiErrors.body(res.failure(), r.locale()));
            }
            out.add(item);
        }
        return Response.ok(JsonBodies.write(Map.of("results", out)), JSON).build();
    }

    public Response status(ApiRequest r) {
        StatusService.StatusView v = statuses.status(r.caller(), messageId(r));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messageId", v.entry().messageId().toString());
        body.put("messageType", v.entry().header().messageType());
        body.put("receiver", v.entry().header().receiver().toString());
        body.put("priority", v.entry().header().priority().name());
        body.put("state", v.entry().state().name());
        body.put("attempts", v.entry().attempts());
        body.put("expiresAt", v.entry().expiresAt().toString());
        List<Map<String, Object>> history = new ArrayList<>();
        for (StatusStore.Entry e : v.history()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("status", e.status().name());
            h.put("at", e.at().toString());
            if (e.errorCode() != null) {
                h.put("errorCode", e.errorCode());
                ErrorCode.fromCode(e.errorCode()).ifPresent(c -> h.put("message", c.sentence(r.locale())));
            }
            if (e.detail() != null) {
                h.put("detail", e.detail());
            }
            history.add(h);
        }
        body.put("history", history);
        return Response.ok(JsonBodies.write(body), JSON).build();
    }

    public Response inbox(ApiRequest r) {
        long after = r.param("after").map(v -> number("after", v)).orElse(0L);
        int limit = (int) Math.min(MailboxService.MAX_PAGE, r.param("limit").map(v -> number("limit", v)).orElse(50L));
        List<InboxEntry> page = mailboxes.list(r.caller(), after, limit);
        long next = page.isEmpty() ? after : page.get(page.size() - 1).mailboxSeq();
        return Response.ok(JsonBodies.mailboxPage(page, next), JSON).build();
    }

    public Response inboxMessage(ApiRequest r) {
        return Response.ok(JsonBodies.mailboxMessage(mailboxes.get(r.caller(), messageId(r))), JSON).build();
    }

    /** The payload bytes exactly as the sending agency submitted them. */
    public Response inboxPayload(ApiRequest r) {
        InboxEntry e = mailboxes.get(r.caller(), messageId(r));
        return Response.ok(e.payload(), JSON).header("Puente-Message-Id", e.messageId().toString()).build();
    }

    public Response acknowledge(ApiRequest r) {
        InboxEntry e = mailboxes.acknowledge(r.caller(), messageId(r));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messageId", e.messageId().toString());
        body.put("acknowledged", true);
        body.put("acknowledgedAt", e.acknowledgedAt() == null ? null : e.acknowledgedAt().toString());
        return Response.ok(JsonBodies.write(body), JSON).build();
    }

    public Response openApi(ApiRequest r) {
        return Response.ok(openApi, JSON).build();
    }

    private static Response accepted(SubmissionService.Accepted a) {
        return Response.accepted(JsonBodies.write(acceptedBody(a))).type(JSON)
                .location(URI.create(statusUrl(a.messageId()))).build();
    }

    private static Map<String, Object> acceptedBody(SubmissionService.Accepted a) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messageId", a.messageId().toString());
        body.put("status", "ACCEPTED");
        body.put("statusUrl", statusUrl(a.messageId()));
        body.put("replayed", a.replayed());
        return body;
    }

    private static String statusUrl(UUID id) {
        return "/api/v1/messages/" + id;
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

    private static long number(String name, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new PuenteException(ErrorCode.WRONG_TYPE, "a non-negative whole number for " + name);
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
