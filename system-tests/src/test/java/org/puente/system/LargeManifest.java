package org.puente.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A valid {@code cargo.manifest} 1.1 submission document (US CBP to MX ANAM) whose payload is
 * just under a byte budget: the shipped sample with up to 500 shipments (each its own control
 * number) of up to 999 goods lines, the schema's limits. A whole unit train's manifest for a
 * year would not be this large; it is the largest document the gateways are configured to take.
 */
final class LargeManifest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SHIPMENTS = 500;
    private static final int MAX_GOODS = 999;

    private LargeManifest() {
    }

    /** A submission document whose payload is at most {@code payloadBudget} bytes and within 1 % of it. */
    static byte[] document(long payloadBudget) {
        ObjectNode document = sample();
        ObjectNode payload = (ObjectNode) document.get("payload");
        ObjectNode shipmentTemplate = (ObjectNode) payload.get("shipments").get(0);
        JsonNode goodsLine = shipmentTemplate.get("goods").get(0);
        long emptyShipment = size(withGoods(shipmentTemplate, 0, 0)) + 1;
        long line = size(goodsLine) + 1;
        long base = size(payload) - size(payload.get("shipments"));
        long perShipment = (payloadBudget - base) / MAX_SHIPMENTS;
        int goods = (int) Math.min(MAX_GOODS, (perShipment - emptyShipment) / line);
        if (goods < 1) {
            throw new IllegalArgumentException("budget too small: " + payloadBudget);
        }
        ArrayNode shipments = JSON.createArrayNode();
        for (int s = 0; s < MAX_SHIPMENTS; s++) {
            shipments.add(withGoods(shipmentTemplate, s, goods));
        }
        payload.set("shipments", shipments);
        byte[] bytes = bytes(document);
        long payloadSize = size(payload);
        if (payloadSize > payloadBudget || payloadSize < payloadBudget * 99 / 100) {
            throw new IllegalStateException("payload of " + payloadSize + " bytes for a budget of " + payloadBudget);
        }
        return bytes;
    }

    private static ObjectNode withGoods(ObjectNode template, int index, int goods) {
        ObjectNode shipment = template.deepCopy();
        shipment.put("shipmentControlNumber", String.format(Locale.ROOT, "PUEL%012d", index));
        ArrayNode lines = JSON.createArrayNode();
        for (int g = 0; g < goods; g++) {
            lines.add(template.get("goods").get(0));
        }
        shipment.set("goods", lines);
        return shipment;
    }

    private static ObjectNode sample() {
        try (InputStream in = LargeManifest.class.getResourceAsStream(
                "/org/puente/model/samples/cargo.manifest.us-to-mx.json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(JsonNode node) {
        return bytes(node).length;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
