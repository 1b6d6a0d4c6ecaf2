package org.puente.routes.api;

import org.puente.engine.api.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Map;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.audit.AuditServices;
import org.puente.engine.audit.PeerReconciliation;
import org.puente.engine.audit.Witness;
import org.puente.engine.keys.KeyAnnouncements;
import org.puente.engine.outbound.NoticeReceiver;
import org.puente.engine.withdrawal.WithdrawalReceiver;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.inbound.PeerReceiver;
import org.puente.engine.peer.PeerProtocol;

/**
 * The peer API operations: envelopes in, signed receipts out; delivery notices; withdrawals; signed
 * ping; the daily reconciliation; key announcements; the peer's audit checkpoints to witness.
 */
public final class PeerHandler {
    private static final ObjectMapper JSON = CanonicalJson.mapper();

    private final PeerReceiver receiver;
    private final NoticeReceiver notices;
    private final PeerEnvelopes envelopes;
    private final int maxBatchItems;
    private final PeerReconciliation reconciliation;
    private final Witness witness;
    private final KeyAnnouncements keys;
    private final WithdrawalReceiver withdrawals;

    public PeerHandler(PeerReceiver receiver, NoticeReceiver notices, PeerEnvelopes envelopes, int maxBatchItems,
                       AuditServices audit, KeyAnnouncements keys, WithdrawalReceiver withdrawals) {
        this.withdrawals = withdrawals;
        this.receiver = receiver;
        this.notices = notices;
        this.envelopes = envelopes;
        this.maxBatchItems = maxBatchItems;
        this.reconciliation = audit.reconciliation();
        this.witness = audit.witness();
        this.keys = keys;
    }

    public Response envelopes(ApiRequest r) {
        PeerProtocol.EnvelopeBatch batch = read(r.body(), PeerProtocol.EnvelopeBatch.class);
        if (batch.envelopes() == null || batch.envelopes().isEmpty()) {
            throw new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, "envelopes");
        }
        if (batch.envelopes().size() > maxBatchItems) {
            throw new PuenteException(ErrorCode.TOO_MANY_ITEMS, maxBatchItems);
        }
        for (PeerProtocol.EnvelopeItem item : batch.envelopes()) {
            if (item == null || item.header() == null || item.header().messageId() == null || item.envelope() == null) {
                throw new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, "envelopes[].header.messageId and envelopes[].envelope");
            }
        }
        return Response.ok(Json.write(receiver.receive(batch)), AgencyHandler.JSON).build();
    }

    public Response notices(ApiRequest r) {
        return Response.ok(Json.write(notices.receive(noticeBatch(r))), AgencyHandler.JSON).build();
    }

    /** Signed withdrawals (cancel, replace) of messages the peer sent us. */
    public Response withdrawals(ApiRequest r) {
        return Response.ok(Json.write(withdrawals.receive(noticeBatch(r))), AgencyHandler.JSON).build();
    }

    private static PeerProtocol.NoticeBatch noticeBatch(ApiRequest r) {
        PeerProtocol.NoticeBatch batch = read(r.body(), PeerProtocol.NoticeBatch.class);
        if (batch.notices() == null) {
            throw new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, "notices");
        }
        return batch;
    }

    /** Proves the link end to end: verifies the peer's signed ping and answers with a signed pong. */
    public Response ping(ApiRequest r) {
        PeerProtocol.Ping ping = read(r.body(), PeerProtocol.Ping.class);
        if (ping.ping() == null) {
            throw new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, "ping");
        }
        byte[] pong = envelopes.answerPing(ping.ping());
        return Response.ok(Json.write(Map.of("pong", pong)), AgencyHandler.JSON).build();
    }

    /** The peer's new encryption certificate: validated and adopted, or refused with its code. */
    public Response keys(ApiRequest r) {
        PeerProtocol.KeyAnnouncement announcement = read(r.body(), PeerProtocol.KeyAnnouncement.class);
        if (announcement.announcement() == null) {
            throw new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, "announcement");
        }
        byte[] answer = keys.receive(announcement.announcement());
        return Response.ok(Json.write(new PeerProtocol.KeyAnswer(answer)), AgencyHandler.JSON).build();
    }

    /** The peer's signed report of a day of the audit log: checked here, answered with a signed tally. */
    public Response reconciliation(ApiRequest r) {
        PeerProtocol.Reconciliation report = read(r.body(), PeerProtocol.Reconciliation.class);
        if (report.report() == null) {
            throw new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, "report");
        }
        byte[] answer = reconciliation.answer(report.report());
        return Response.ok(Json.write(new PeerProtocol.ReconciliationAnswer(answer)), AgencyHandler.JSON).build();
    }

    /** The peer's audit checkpoint to witness: cosigned, or refused with its code (docs/audit.md, "Cross-witnessing"). */
    public Response checkpoints(ApiRequest r) {
        PeerProtocol.WitnessRequest request = read(r.body(), PeerProtocol.WitnessRequest.class);
        return Response.ok(Json.write(witness.witness(request)), AgencyHandler.JSON).build();
    }

    private static <T> T read(byte[] body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, e.getClass().getSimpleName());
        }
    }
}
