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
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;

/**
 * The demo's traffic: every sample message of the catalogue, in both directions, plus a few
 * deliberately wrong ones so the refusals show what an agency sees. Some samples name an earlier
 * message, and the gateways refuse them unless that message was exchanged first: an answer to an
 * assistance request needs its request's case ({@code unknown_case}), a consent request or
 * decision needs the information it is about ({@code unknown_original}). Those come apart
 * ({@link #dependents()}) and are sent, naming the message the gateway accepted
 * ({@link #naming}), once it has reached the peer ({@link #submitInOrder}).
 */
public final class Traffic {
    /** A sample that names an earlier one: which, and in which payload field. */
    public record Dependency(String sample, String field) {
    }

    private static final Map<String, Dependency> DEPENDENCIES = Map.of(
            "enforcement.assistance-response.mx-to-us.json",
            new Dependency("enforcement.assistance-request.us-to-mx.json", "requestMessageId"),
            "enforcement.assistance-response.us-to-mx.json",
            new Dependency("enforcement.assistance-request.mx-to-us.json", "requestMessageId"),
            "enforcement.disclosure-consent.mx-to-us.json",
            new Dependency("enforcement.spontaneous-information.us-to-mx.json", "originalMessageId"),
            "enforcement.disclosure-consent.us-to-mx.json",
            new Dependency("enforcement.spontaneous-information.us-to-mx.json", "originalMessageId"));

    /** One submission: who sends it and the document. */
    public record Item(String name, Country country, String agency, byte[] document, boolean meantToFail) {
        /** The earlier sample this one names, if any (it is sent only after that one). */
        public Optional<Dependency> dependency() {
            return Optional.ofNullable(DEPENDENCIES.get(name));
        }
    }

    private Traffic() {
    }

    /** Every sample that names no earlier message. */
    public static List<Item> samples() {
        return all().stream().filter(i -> i.dependency().isEmpty()).toList();
    }

    /** The samples that name an earlier one, each to send after it ({@link Item#dependency()}). */
    public static List<Item> dependents() {
        return all().stream().filter(i -> i.dependency().isPresent()).toList();
    }

    /** The dependent sample naming the message the gateway accepted as {@code messageId}. */
    public static Item naming(Item dependent, String messageId) {
        ObjectNode doc = (ObjectNode) read(dependent.document());
        ((ObjectNode) doc.path("payload")).put(dependent.dependency().orElseThrow().field(), messageId);
        return new Item(dependent.name(), dependent.country(), dependent.agency(), CanonicalJson.bytes(doc), false);
    }

    /** One submission made: the item as sent, and the gateway's answer. */
    public record Submitted(Item item, AgencyConnection.Answer answer) {
        public String messageId() {
            return answer.status() == 202 ? answer.json().get("messageId").asText() : null;
        }
    }

    /**
     * Submits {@code items} in order, then each of {@code dependents} once the message it names (one
     * of {@code items}) was receipted by the peer gateway, so both sides know it. Returns every
     * submission in the order made; a dependent whose message was refused or never receipted within
     * {@code wait} is not sent.
     */
    public static List<Submitted> submitInOrder(List<Item> items, List<Item> dependents,
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
        for (Item d : dependents) {
            Submitted named = byName.get(d.dependency().orElseThrow().sample());
            if (named == null || named.messageId() == null
                    || !receipted(agencies.apply(named.item().country(), named.item().agency()), named.messageId(), wait)) {
                continue;
            }
            Item item = naming(d, named.messageId());
            Submitted s = new Submitted(item, agencies.apply(item.country(), item.agency()).submit(item.document()));
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
