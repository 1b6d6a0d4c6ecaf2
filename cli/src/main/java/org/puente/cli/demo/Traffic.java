package org.puente.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;

/**
 * The demo's traffic: every sample message of the catalogue, in both directions, plus a few
 * deliberately wrong ones so the refusals show what an agency sees. An answer to an assistance
 * request can only follow its request: the gateways refuse a response to a case they do not have
 * ({@code unknown_case}), so the response samples come apart ({@link #responses()}) and are sent,
 * naming the request's message id ({@link #answering}), once the request has reached the peer.
 */
public final class Traffic {
    static final String RESPONSE = "enforcement.assistance-response.";
    static final String REQUEST = "enforcement.assistance-request.";

    /** One submission: who sends it and the document. */
    public record Item(String name, Country country, String agency, byte[] document, boolean meantToFail) {
        /** Whether this is the answer to an assistance request (sent only after its request). */
        public boolean answersARequest() {
            return name.startsWith(RESPONSE);
        }

        /** The name of the request sample this response answers (the request in the other direction). */
        public String requestName() {
            String direction = name.substring(RESPONSE.length());
            return REQUEST + (direction.startsWith("us-to-mx") ? direction.replace("us-to-mx", "mx-to-us")
                    : direction.replace("mx-to-us", "us-to-mx"));
        }
    }

    private Traffic() {
    }

    /** Every sample but the responses to assistance requests. */
    public static List<Item> samples() {
        return all().stream().filter(i -> !i.answersARequest()).toList();
    }

    /** The responses to assistance requests, each to send after its request ({@link Item#requestName()}). */
    public static List<Item> responses() {
        return all().stream().filter(Item::answersARequest).toList();
    }

    /** A response naming the request the gateway accepted as {@code requestMessageId}. */
    public static Item answering(Item response, String requestMessageId) {
        ObjectNode doc = (ObjectNode) read(response.document());
        ((ObjectNode) doc.path("payload")).put("requestMessageId", requestMessageId);
        return new Item(response.name(), response.country(), response.agency(), CanonicalJson.bytes(doc), false);
    }

    /** One submission made: the item as sent, and the gateway's answer. */
    public record Submitted(Item item, AgencyConnection.Answer answer) {
        public String messageId() {
            return answer.status() == 202 ? answer.json().get("messageId").asText() : null;
        }
    }

    /**
     * Submits {@code items} in order, then each response of {@code responses} once the request it
     * answers (one of {@code items}) was receipted by the peer gateway, whose case is then open.
     * Returns every submission in the order made; a response whose request was refused or never
     * receipted within {@code wait} is not sent.
     */
    public static List<Submitted> submitInOrder(List<Item> items, List<Item> responses,
                                                BiFunction<Country, String, AgencyConnection> agencies, Duration wait,
                                                Consumer<Submitted> each) {
        List<Submitted> done = new ArrayList<>();
        Map<String, Submitted> byName = new HashMap<>();
        for (Item i : items) {
            Submitted s = new Submitted(i, agencies.apply(i.country(), i.agency()).submit(i.document()));
            done.add(s);
            byName.put(i.name(), s);
            each.accept(s);
        }
        for (Item r : responses) {
            Submitted request = byName.get(r.requestName());
            if (request == null || request.messageId() == null
                    || !receipted(agencies.apply(request.item().country(), request.item().agency()), request.messageId(), wait)) {
                continue;
            }
            Item answer = answering(r, request.messageId());
            Submitted s = new Submitted(answer, agencies.apply(answer.country(), answer.agency()).submit(answer.document()));
            done.add(s);
            each.accept(s);
        }
        return done;
    }

    private static boolean receipted(AgencyConnection sender, String messageId, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode step : sender.status(messageId).json().path("history")) {
                if ("RECEIPTED".equals(step.path("status").asText())) {
                    return true;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static List<Item> all() {
        List<Item> items = new ArrayList<>();
        for (SampleMessages.Sample s : SampleMessages.all()) {
            JsonNode sender = read(s.bytes()).path("sender");
            items.add(new Item(s.name(), Country.valueOf(sender.path("country").asText()), sender.path("agency").asText(),
                    s.bytes(), false));
        }
        return items;
    }

    /** Wrong on purpose: a container number with a bad check digit, and a route the catalogue does not allow. */
    public static List<Item> mistakes() {
        List<Item> items = new ArrayList<>();
        ObjectNode manifest = (ObjectNode) read(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes());
        JsonNode containers = manifest.path("payload").path("equipment");
        if (containers.isArray() && containers.size() > 0 && containers.get(0).has("containerNumber")) {
            ((ObjectNode) containers.get(0)).put("containerNumber", "MSCU1234560");
        }
        items.add(new Item("cargo.manifest with a wrong container check digit", Country.US, "CBP",
                CanonicalJson.bytes(manifest), true));
        ObjectNode misrouted = (ObjectNode) read(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes());
        ((ObjectNode) misrouted.path("receiver")).put("agency", "SAT");
        items.add(new Item("cargo.manifest addressed to SAT", Country.US, "CBP", CanonicalJson.bytes(misrouted), true));
        return items;
    }

    public static JsonNode read(byte[] json) {
        try {
            return CanonicalJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
