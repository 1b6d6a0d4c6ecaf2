package org.puente.routes.exchange;

import java.util.List;
import org.puente.routes.peer.PeerCall;
import org.puente.routes.peer.PeerProtocol;
import org.puente.routes.store.OutboxEntry;

/**
 * Messages travelling to the peer in one request, as they pass the dispatch steps
 * (seal, post, record).
 *
 * @param entries the claimed messages (sealed after the seal step)
 * @param call    the peer's answer (after the post step)
 * @param sentAt  when the request left, nanoTime-free wall clock millis
 */
public record DispatchBatch(List<OutboxEntry> entries, PeerCall<PeerProtocol.ResultBatch> call, long sentAt) {

    public static DispatchBatch of(List<OutboxEntry> entries) {
        return new DispatchBatch(entries, null, 0);
    }

    public DispatchBatch withEntries(List<OutboxEntry> sealed) {
        return new DispatchBatch(sealed, call, sentAt);
    }

    public DispatchBatch withCall(PeerCall<PeerProtocol.ResultBatch> answer, long at) {
        return new DispatchBatch(entries, answer, at);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
