package org.puente.routes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;
import org.puente.engine.consent.Consent;
import org.puente.engine.consent.ConsentRegister;

/** The JSON bodies of the consent register's operations (docs/openapi/agency-api.json). */
public final class ConsentBodies {
    private ConsentBodies() {
    }

    /** One request or decision of the register. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String consentMessageId, String kind, String provider, String holder, String recipient,
                        String recipientType, String purpose, String decision, List<String> conditions, String validUntil,
                        String at) {
        static Entry of(Consent k) {
            return new Entry(k.messageId().toString(), k.kind(), k.provider(), k.holder(), k.recipientName(),
                    k.recipientType(), k.purpose(), k.decision(), k.conditions().isEmpty() ? null : k.conditions(),
                    k.validUntil() == null ? null : k.validUntil().toString(), k.at().toString());
        }
    }

    public record Entries(String messageId, List<Entry> entries) {
        static Entries of(UUID messageId, List<Consent> consents) {
            return new Entries(messageId.toString(), consents.stream().map(Entry::of).toList());
        }
    }

    /** The register's answer to "may I disclose message X to Y for purpose Z?". */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(String messageId, String recipient, String purpose, boolean allowed, String reason,
                         Entry decision) {
        static Answer of(ConsentRegister.Question q, ConsentRegister.Verdict v) {
            return new Answer(q.messageId().toString(), q.recipientName(), q.purpose(), v.allowed(), v.reason(),
                    v.decision().map(Entry::of).orElse(null));
        }
    }
}
