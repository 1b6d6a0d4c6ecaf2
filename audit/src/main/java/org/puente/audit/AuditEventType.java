package org.puente.audit;

/** What happened: every state change of a message, and every operator and auditor action. */
public enum AuditEventType {
    // sending side
    SUBMITTED, REJECTED, SEALED, SENT, RECEIPTED, SEND_FAILED, EXPIRED,
    // receiving side
    RECEIVED, PEER_REJECTED, DUPLICATE, STORED, DELIVERED, ACKNOWLEDGED, PUSH_FAILED,
    // delivery notices crossing back
    NOTICE_SENT, NOTICE_RECEIVED,
    // business answers: given by our receiving agency (receiving side), received from the peer (sending side)
    ANSWER_GIVEN, ANSWER_RECEIVED,
    // mutual-assistance cases, on both sides: a request opened one, a response deferred or closed it,
    // another enforcement message was linked to it, its deadline passed unmet
    CASE_OPENED, CASE_DEFERRED, CASE_CLOSED, CASE_FOLLOW_UP, CASE_OVERDUE,
    // the consent register: a request for, or decision on, onward disclosure recorded against the
    // message it is about (both sides); an agency asked whether it may disclose a message, and the answer
    CONSENT_REQUESTED, CONSENT_DECIDED, DISCLOSURE_CHECKED,
    // cancel and replace: the sending agency withdrew a message (sending side), the peer's signed
    // notice of it was recorded against the received message (receiving side)
    MESSAGE_WITHDRAWN, WITHDRAWAL_RECEIVED,
    // operators and auditors
    ROUTE_SUSPENDED, ROUTE_RESUMED, MESSAGE_REDRIVEN, CRLS_RELOADED, EXPORT_MADE, RECONCILED,
    // key rotation: the operator's reload of this gateway's keys; the encryption certificate this
    // gateway announced to its peer (sender side) or adopted from it (receiver side)
    KEYS_RELOADED, KEY_ANNOUNCED, PEER_KEY_ADOPTED,
    // the audit log itself: entries past the retention period moved to a signed archive file
    ARCHIVED,
    // cross-witnessing (witness side): the peer's checkpoint cosigned, or refused as not extending
    // what this gateway cosigned before; (origin side) the peer refused to cosign our checkpoint
    CHECKPOINT_WITNESSED, WITNESS_REFUSED, COSIGNATURE_REFUSED,
    // the gateway's housekeeping: payloads of finished messages removed after their retention
    // (digests, receipts and states stay; the detail gives the count)
    PAYLOADS_PURGED
}
