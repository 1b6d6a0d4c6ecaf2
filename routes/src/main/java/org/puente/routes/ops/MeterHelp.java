package org.puente.routes.ops;

import java.util.Map;

/**
 * The help text of every gateway meter (Prometheus's {@code # HELP} line): what it counts, in one
 * sentence an operator can act on. docs/operations.md lists the same meters.
 */
final class MeterHelp {
    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("gateway.submissions.accepted", "Agency submissions accepted into the outbox (202)"),
            Map.entry("gateway.submissions.rejected", "Agency submissions refused, by error code"),
            Map.entry("gateway.envelopes.sealed", "Outbound messages signed and encrypted for the peer"),
            Map.entry("gateway.sends.attempted", "Sends of a message to the peer, by outcome (receipted, retry, failed)"),
            Map.entry("gateway.sends.succeeded", "Messages the peer receipted with a valid signed receipt"),
            Map.entry("gateway.sends.retried", "Sends that failed on the road and will be retried, by error code"),
            Map.entry("gateway.sends.failed", "Messages the peer refused with a signed error (not retried), by error code"),
            Map.entry("gateway.messages.expired", "Messages whose time-to-live ran out before a receipt (dead letters)"),
            Map.entry("gateway.notices.sent", "Signed delivery notices the peer gateway answered (it recorded the delivery)"),
            Map.entry("gateway.work.claimed", "Jobs of the work queue claimed by this instance, by kind"),
            Map.entry("gateway.work.ended", "Jobs of the work queue that ended: done, failed for good, retried later, or dead (their time ran out)"),
            Map.entry("gateway.envelopes.opened", "Envelopes from the peer decrypted, verified and stored"),
            Map.entry("gateway.envelopes.rejected", "Envelopes from the peer refused, by error code"),
            Map.entry("gateway.messages.duplicates", "Envelopes from the peer already received (answered with the original receipt)"),
            Map.entry("gateway.messages.delivered", "Messages handed to the receiving agency (inbound) or delivered there (outbound)"),
            Map.entry("gateway.messages.acknowledged", "Messages acknowledged by the receiving agency"),
            Map.entry("gateway.messages.answered", "Business answers of the receiving agency to messages sent, by status (outcome)"),
            Map.entry("gateway.latency.receipt", "Time from acceptance to the peer's signed receipt"),
            Map.entry("gateway.latency.delivery", "Time from acceptance to the receiving agency's acknowledgement"),
            Map.entry("gateway.api.errors", "Error answers of the gateway's APIs, by operation and error code"),
            Map.entry("gateway.background.failures", "Failed background cycles (dispatch, notices, push), by route and code"),
            Map.entry("gateway.store.commit", "Time to commit and sync one group of units of work"),
            Map.entry("gateway.store.units", "Units of work committed"),
            Map.entry("gateway.outbox.depth", "Undelivered messages in the outbox"),
            Map.entry("gateway.outbox.oldest.age", "Age of the oldest undelivered message in the outbox"),
            Map.entry("gateway.outbox.lane.depth", "Envelopes waiting to be sent to the peer, by priority lane"),
            Map.entry("gateway.outbox.lane.oldest.age", "Age of the oldest envelope waiting to be sent to the peer, by priority lane"),
            Map.entry("gateway.mailbox.depth", "Unacknowledged messages in the agencies' mailboxes"),
            Map.entry("gateway.mailbox.oldest.age", "Age of the oldest unacknowledged message in the mailboxes"),
            Map.entry("gateway.deadletters.depth", "EXPIRED messages waiting for an operator's re-drive"),
            Map.entry("gateway.payloads.purged", "Payloads of finished messages purged after the retention (digests and receipts kept)"),
            Map.entry("gateway.cases.open", "Mutual-assistance cases not closed, by role (requested: our agency must answer; requesting: it asked)"),
            Map.entry("gateway.cases.due.soon", "Open assistance cases whose next deadline falls within two days, by role"),
            Map.entry("gateway.cases.overdue", "Open assistance cases whose deadline passed unmet, by role"),
            Map.entry("gateway.peer.up", "1 when the last signed ping over the peer link was answered"),
            Map.entry("gateway.ready", "1 when the gateway accepts work (readiness)"),
            Map.entry("gateway.dispatch.suspended", "1 while an operator has suspended outbound delivery"),
            Map.entry("gateway.certificate.expiry", "Time left until a certificate expires (negative: expired), by role"),
            Map.entry("gateway.crl.next.update", "Time left until the first CRL in force passes its next update (then every TLS client is refused)"),
            Map.entry("gateway.crl.reload.failed", "1 when the last CRL reload was refused (the previous CRLs stay in force)"),
            Map.entry("gateway.peer.key.usable", "1 when messages may be sealed to the peer's encryption certificate (0: revoked or expired)"),
            Map.entry("gateway.peer.key.unconfirmed", "1 until the peer confirms it seals to this gateway's encryption certificate in force (after a start or a key reload)"),
            Map.entry("gateway.audit.witness.refusals", "Audit checkpoints refused in cross-witnessing: side=witness, the peer's that this gateway refused; side=origin, ours that the peer refused"),
            Map.entry("gateway.processing.bytes", "Bytes of documents being validated, sealed and stored now (submissions, the peer's batches), and the shares of envelope batches being sent to the peer"),
            Map.entry("gateway.processing.budget", "Most bytes of submitted documents in process at once (puente.limits.processing-bytes); above it submissions get 429 overloaded"),
            Map.entry("gateway.request.bodies", "Bytes of request bodies held in the heap now, per listener; each listener's budget is the processing budget (one larger body passes alone), above it requests get 429 overloaded unread"),
            Map.entry("gateway.audit.timestamp.backlog", "Audit checkpoints waiting for their RFC 3161 time-stamp (0 without a TSA): the TSA cannot be reached or refuses"),
            Map.entry("gateway.audit.cosignature.wait", "How long this gateway's oldest audit checkpoint not yet cosigned by the peer has waited (0: the latest is cosigned)"));

    private MeterHelp() {
    }

    static String of(String meter) {
        return HELP.getOrDefault(meter, meter);
    }
}
