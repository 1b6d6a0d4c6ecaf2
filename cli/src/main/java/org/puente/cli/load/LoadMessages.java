package org.puente.cli.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.puente.cli.demo.Traffic;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.Priority;
import org.puente.model.samples.SampleMessages;
import org.puente.model.submission.SubmissionParser;

/**
 * Builds the load's submission document: a valid sample of the chosen type and direction, its
 * payload grown (shipments repeated) or shrunk to about the requested size, still valid.
 */
final class LoadMessages {
    private LoadMessages() {
    }

    /** The document, and the sending agency taken from it. */
    record Document(byte[] bytes, String senderAgency, String receiverAgency, int payloadBytes) {
    }

    static Document build(String type, Country from, int targetPayloadBytes, Priority priority) {
        String direction = from == Country.US ? "us-to-mx" : "mx-to-us";
        SampleMessages.Sample sample = SampleMessages.all().stream()
                .filter(s -> s.messageType().equals(type) && s.direction().equals(direction))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sample of " + type + " " + direction));
        ObjectNode doc = (ObjectNode) Traffic.read(sample.bytes());
        JsonNode shipments = doc.path("payload").path("shipments");
        if (shipments.isArray() && shipments.size() > 0) {
            ArrayNode list = (ArrayNode) shipments;
            JsonNode template = list.get(0).deepCopy();
            while (payloadSize(doc) > targetPayloadBytes && list.size() > 1) {
                list.remove(list.size() - 1);
            }
            while (payloadSize(doc) + template.toString().length() <= targetPayloadBytes && list.size() < 500) {
                list.add(template.deepCopy());
            }
        }
        doc.put("priority", priority.name());
        byte[] bytes = CanonicalJson.bytes(doc);
        return new Document(bytes, doc.path("sender").path("agency").asText(), doc.path("receiver").path("agency").asText(),
                payloadSize(doc));
    }

    private static int payloadSize(ObjectNode doc) {
        byte[] b = CanonicalJson.bytes(doc);
        return SubmissionParser.payloadBytes(b, SubmissionParser.parse(b)).length;
    }
}
