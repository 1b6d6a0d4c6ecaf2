package org.puente.engine.peer;

import java.util.List;
import java.util.UUID;
import org.puente.model.EnvelopeHeader;

/**
 * The gateway-to-gateway protocol (JSON over mutual TLS), version 1. Several envelopes travel in
 * one request, and every answer item is signed by the receiving gateway, so the only unsigned
 * part is the transport status.
 *
 * <pre>
 * POST /peer/v1/envelopes   {"envelopes":[{"header":{...routing header...},"envelope":"base64 DER"}]}
 *                       200 {"results":[{"messageId":"...","receipt":"base64 CMS"}]}   (receipt or signed rejection)
 * POST /peer/v1/notices     {"notices":["base64 CMS"]}   200 {"accepted":n,"later":["message id"]}
 * POST /peer/v1/withdrawals {"notices":["base64 CMS"]}   200 {"accepted":n,"later":["message id"]}
 * POST /peer/v1/ping        {"ping":"base64 CMS"}        200 {"pong":"base64 CMS"}
 * POST /peer/v1/reconciliation {"report":"base64 CMS"}  200 {"answer":"base64 CMS"}     (daily audit reconciliation)
 * POST /peer/v1/keys        {"announcement":"base64 CMS"}  200 {"answer":"base64 CMS"}   (new encryption certificate)
 * POST /peer/v1/checkpoints {"checkpoint":"base64 CMS","fromSize":n,"consistency":["hex",...]}
 *                       200 {"cosignature":"base64 CMS"} or {"refused":"code","detail":"...","cosignedSize":n}
 * </pre>
 */
public final class PeerProtocol {
    public static final String ENVELOPES_PATH = "/peer/v1/envelopes";
    public static final String NOTICES_PATH = "/peer/v1/notices";
    /** Signed withdrawals (CANCELLED, REPLACED) of messages the calling gateway sent; answered like notices. */
    public static final String WITHDRAWALS_PATH = "/peer/v1/withdrawals";
    public static final String PING_PATH = "/peer/v1/ping";
    public static final String RECONCILIATION_PATH = "/peer/v1/reconciliation";
    public static final String KEYS_PATH = "/peer/v1/keys";
    /** The calling gateway's audit checkpoint, for this gateway to witness (docs/audit.md, "Cross-witnessing"). */
    public static final String CHECKPOINTS_PATH = "/peer/v1/checkpoints";

    private PeerProtocol() {
    }

    /** One envelope with the routing header it travels under (compared with the signed header on arrival). */
    public record EnvelopeItem(EnvelopeHeader header, byte[] envelope) {
    }

    public record EnvelopeBatch(List<EnvelopeItem> envelopes) {
        /** Room for the batch as JSON: each envelope in base64 (4/3) and 4 KiB for its routing header. */
        public int jsonSizeHint() {
            long bytes = 256;
            for (EnvelopeItem i : envelopes) {
                bytes += (i.envelope() == null ? 0 : (i.envelope().length + 2L) / 3 * 4) + 4096;
            }
            return (int) Math.min(bytes, Integer.MAX_VALUE - 16);
        }
    }

    /** The signed answer to one envelope: a receipt, or a signed rejection. */
    public record ResultItem(UUID messageId, byte[] receipt) {
    }

    public record ResultBatch(List<ResultItem> results) {
    }

    public record NoticeBatch(List<byte[]> notices) {
    }

    /**
     * The answer to a batch of notices: how many were recorded, and the messages whose notice came
     * before their receipt was recorded (sent again later; null or absent: none).
     */
    public record NoticeAnswer(int accepted, List<UUID> later) {
        public List<UUID> laterOrNone() {
            return later == null ? List.of() : later;
        }
    }

    public record Ping(byte[] ping) {
    }

    public record Pong(byte[] pong) {
    }

    /** A signed reconciliation report (StatementType RECONCILIATION) of one side's period. */
    public record Reconciliation(byte[] report) {
    }

    /** The peer's signed answer to a reconciliation report. */
    public record ReconciliationAnswer(byte[] answer) {
    }

    /** A signed announcement (StatementType KEY_ANNOUNCEMENT) of the sender's new encryption certificate. */
    public record KeyAnnouncement(byte[] announcement) {
    }

    /** The peer's signed answer: the fingerprint of the certificate it now seals to. */
    public record KeyAnswer(byte[] answer) {
    }

    /**
     * A checkpoint of the caller's audit log to witness, with the consistency proof from the tree
     * size the witness last cosigned ({@code fromSize}; 0 and no proof for the first).
     */
    public record WitnessRequest(byte[] checkpoint, long fromSize, List<String> consistency) {
    }

    /**
     * The witness's verdict: its cosignature, or a refusal — {@code checkpoint_inconsistent} (the
     * log does not extend what the witness cosigned: kept as evidence on both sides) or
     * {@code witness_out_of_step} (the proof starts elsewhere than the witness's
     * {@code cosignedSize}: ask again with a proof from there).
     */
    public record WitnessAnswer(byte[] cosignature, String refused, String detail, Long cosignedSize) {
    }
}
