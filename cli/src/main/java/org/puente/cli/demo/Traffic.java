package org.puente.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;

/**
 * The demo's traffic: every sample message of the catalogue, in both directions, plus a few
 * deliberately wrong ones so the refusals show what an agency sees.
 */
public final class Traffic {
    /** One submission: who sends it and the document. */
    public record Item(String name, Country country, String agency, byte[] document, boolean meantToFail) {
    }

    private Traffic() {
    }

    public static List<Item> samples() {
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
