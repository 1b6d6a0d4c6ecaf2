package org.puente.engine.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.puente.engine.testing.StoreFixtures;
import org.puente.model.CanonicalJson;
import org.puente.model.Priority;

/** The peer protocol's JSON, as the client writes it. */
class PeerProtocolTest {

    @Test
    void the_size_hint_of_an_envelope_batch_holds_its_json_so_the_body_is_written_without_regrowing() throws Exception {
        Random random = new Random(7);
        for (int items : new int[] {1, 2, 50, 500}) {
            List<PeerProtocol.EnvelopeItem> list = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                byte[] envelope = new byte[i % 7 == 0 ? random.nextInt(200_000) : random.nextInt(5_000)];
                random.nextBytes(envelope);
                list.add(new PeerProtocol.EnvelopeItem(StoreFixtures.header(Priority.NORMAL, Instant.parse("2026-12-05T10:00:00Z")),
                        envelope));
            }
            PeerProtocol.EnvelopeBatch batch = new PeerProtocol.EnvelopeBatch(list);
            int written = CanonicalJson.mapper().writeValueAsBytes(batch).length;

            assertThat(batch.jsonSizeHint()).as(items + " items").isGreaterThanOrEqualTo(written)
                    .isLessThan(written + items * 4096 + 4096);
        }
    }
}
