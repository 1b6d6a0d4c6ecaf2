package org.puente.engine.cooperation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.puente.model.validation.Problem;

/**
 * What a message means beyond its transport, kept in the same unit of work as the message itself
 * (assistance cases, the consent register). Both doors use it: the submission pipeline for what our
 * agencies send, the peer receiver for what the peer's agencies send. A rule that refuses a message
 * writes nothing; what it applies commits with the message or not at all.
 */
public interface MessageRules {

    /** Whether messages of this type concern these rules; others never touch the store for them. */
    boolean concerns(String messageType);

    /** Why the message must be refused, read from the store (writes nothing); empty when it may pass. */
    Optional<Problem> refusal(Connection c, Exchanged m) throws SQLException;

    /** Records what the message means, inside the unit of work that stores it. */
    void apply(Connection c, Exchanged m) throws SQLException;

    /** Several rule sets, consulted in order: the first refusal wins, every one applies. */
    static MessageRules all(List<MessageRules> rules) {
        List<MessageRules> copy = List.copyOf(rules);
        return new MessageRules() {
            @Override
            public boolean concerns(String messageType) {
                return copy.stream().anyMatch(r -> r.concerns(messageType));
            }

            @Override
            public Optional<Problem> refusal(Connection c, Exchanged m) throws SQLException {
                for (MessageRules r : copy) {
                    if (r.concerns(m.header().messageType())) {
                        Optional<Problem> p = r.refusal(c, m);
                        if (p.isPresent()) {
                            return p;
                        }
                    }
                }
                return Optional.empty();
            }

            @Override
            public void apply(Connection c, Exchanged m) throws SQLException {
                for (MessageRules r : copy) {
                    if (r.concerns(m.header().messageType())) {
                        r.apply(c, m);
                    }
                }
            }
        };
    }
}
