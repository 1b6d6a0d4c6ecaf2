package org.puente.routes.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.answer.AnswerRows;
import org.puente.engine.answer.BusinessAnswers;
import org.puente.engine.inbound.MailboxService;
import org.puente.model.answer.BusinessAnswer;
import org.puente.model.answer.BusinessStatus;
import org.puente.engine.outbound.StatusService;
import org.puente.engine.outbound.SubmissionService;
import org.puente.routes.soap.v1.AcknowledgeRequest;
import org.puente.routes.soap.v1.AcknowledgeResponse;
import org.puente.routes.soap.v1.Answer;
import org.puente.routes.soap.v1.AnswerRequest;
import org.puente.routes.soap.v1.AnswerResponse;
import org.puente.routes.soap.v1.GetStatusRequest;
import org.puente.routes.soap.v1.GetStatusResponse;
import org.puente.routes.soap.v1.ListInboxRequest;
import org.puente.routes.soap.v1.ListInboxResponse;
import org.puente.routes.soap.v1.MailboxMessage;
import org.puente.routes.soap.v1.Reason;
import org.puente.routes.soap.v1.StatusEntry;
import org.puente.routes.soap.v1.SubmitRequest;
import org.puente.routes.soap.v1.SubmitResponse;
import org.puente.engine.inbound.InboxEntry;
import org.puente.engine.outbound.StatusStore;

/**
 * The SOAP operations of the agency API (docs/wsdl/agency-v1.wsdl): the same exchange services as
 * the REST handler, with the WSDL's request and response objects instead of JSON. No Camel, no
 * transport headers: the edge has done that.
 *
 * <p>Documents and payloads travel as JSON text inside the XML: the submission document is the
 * UTF-8 encoding of the {@code document} element's text, exactly what a REST client would POST.
 */
public final class AgencySoapHandler {
    private static final DatatypeFactory DATES = DatatypeFactory.newDefaultInstance();

    private final SubmissionService submissions;
    private final StatusService statuses;
    private final MailboxService mailboxes;
    private final BusinessAnswers answers;

    public AgencySoapHandler(SubmissionService submissions, StatusService statuses, MailboxService mailboxes,
                             BusinessAnswers answers) {
        this.submissions = submissions;
        this.statuses = statuses;
        this.mailboxes = mailboxes;
        this.answers = answers;
    }

    public SubmitResponse submit(SoapCall call) {
        SubmitRequest r = call.request(SubmitRequest.class);
        String document = r.getDocument() == null ? "" : r.getDocument();
        SubmissionService.Accepted a = submissions.submit(call.caller(), document.getBytes(StandardCharsets.UTF_8),
                r.getIdempotencyKey());
        SubmitResponse out = new SubmitResponse();
        out.setMessageId(a.messageId().toString());
        out.setStatus("ACCEPTED");
        out.setReplayed(a.replayed());
        a.warnings().forEach(w -> out.getWarning().add(SoapErrors.problem(w, call.locale())));
        return out;
    }

    public GetStatusResponse getStatus(SoapCall call) {
        StatusService.StatusView v = statuses.status(call.caller(), messageId(call.request(GetStatusRequest.class).getMessageId()));
        GetStatusResponse out = new GetStatusResponse();
        out.setMessageId(v.entry().messageId().toString());
        out.setMessageType(v.entry().header().messageType());
        out.setReceiver(v.entry().header().receiver().toString());
        out.setPriority(v.entry().header().priority().name());
        out.setState(v.entry().state().name());
        out.setAttempts(v.entry().attempts());
        out.setExpiresAt(date(v.entry().expiresAt()));
        for (StatusStore.Entry e : v.history()) {
            StatusEntry h = new StatusEntry();
            h.setStatus(e.status().name());
            h.setAt(date(e.at()));
            if (e.errorCode() != null) {
                h.setErrorCode(e.errorCode());
                ErrorCode.fromCode(e.errorCode()).ifPresent(c -> h.setMessage(c.sentence(call.locale())));
            }
            h.setDetail(e.detail());
            out.getHistory().add(h);
        }
        v.answer().ifPresent(a -> out.setAnswer(answer(a)));
        return out;
    }

    /** The caller's business answer to a message of its mailbox, as {@code POST /api/v1/inbox/{id}/answer}. */
    public AnswerResponse answer(SoapCall call) {
        AnswerRequest r = call.request(AnswerRequest.class);
        BusinessStatus status;
        try {
            status = BusinessStatus.valueOf(r.getStatus() == null ? "" : r.getStatus().trim());
        } catch (IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.INVALID_ANSWER,
                    "status must be ACCEPTED, ACCEPTED_WITH_WARNINGS, NOT_READABLE or REFUSED");
        }
        List<BusinessAnswer.Reason> reasons = r.getReason().stream()
                .map(x -> new BusinessAnswer.Reason(x.getCode(), x.getText(), x.getPointer())).toList();
        AnswerRows.Row row = answers.answer(call.caller(), messageId(r.getMessageId()), new BusinessAnswer(status, reasons));
        AnswerResponse out = new AnswerResponse();
        out.setAnswer(answer(row));
        return out;
    }

    private static Answer answer(AnswerRows.Row row) {
        Answer a = new Answer();
        a.setMessageId(row.messageId().toString());
        a.setAgency(row.agency());
        a.setStatus(row.answer().status().name());
        for (BusinessAnswer.Reason x : row.answer().reasons()) {
            Reason reason = new Reason();
            reason.setCode(x.code());
            reason.setText(x.text());
            reason.setPointer(x.pointer());
            a.getReason().add(reason);
        }
        a.setAnsweredAt(date(row.answeredAt()));
        return a;
    }

    public ListInboxResponse listInbox(SoapCall call) {
        ListInboxRequest r = call.request(ListInboxRequest.class);
        long after = nonNegative("after", r.getAfter() == null ? 0L : r.getAfter());
        int limit = (int) Math.min(MailboxService.MAX_PAGE, nonNegative("limit", r.getLimit() == null ? 50L : r.getLimit()));
        List<InboxEntry> page = mailboxes.list(call.caller(), after, limit);
        ListInboxResponse out = new ListInboxResponse();
        for (InboxEntry e : page) {
            out.getMessage().add(message(e));
        }
        out.setNext(page.isEmpty() ? after : page.get(page.size() - 1).mailboxSeq());
        return out;
    }

    public AcknowledgeResponse acknowledge(SoapCall call) {
        InboxEntry e = mailboxes.acknowledge(call.caller(), messageId(call.request(AcknowledgeRequest.class).getMessageId()));
        AcknowledgeResponse out = new AcknowledgeResponse();
        out.setMessageId(e.messageId().toString());
        out.setAcknowledged(true);
        out.setAcknowledgedAt(e.acknowledgedAt() == null ? null : date(e.acknowledgedAt()));
        return out;
    }

    /** A mailbox message: header and payload as JSON text, the payload character for character as submitted. */
    static MailboxMessage message(InboxEntry e) {
        MailboxMessage m = new MailboxMessage();
        m.setMessageId(e.messageId().toString());
        m.setMailboxSeq(e.mailboxSeq());
        m.setReceivedAt(date(e.receivedAt()));
        m.setAcknowledged(e.acknowledgedAt() != null);
        m.setHeader(new String(CanonicalJson.bytes(e.header()), StandardCharsets.UTF_8));
        m.setPayload(new String(e.payload(), StandardCharsets.UTF_8));
        return m;
    }

    static XMLGregorianCalendar date(Instant instant) {
        return DATES.newXMLGregorianCalendar(instant.toString());
    }

    private static UUID messageId(String raw) {
        try {
            return UUID.fromString(raw == null ? "" : raw.trim());
        } catch (IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.NOT_FOUND, "message", raw);
        }
    }

    private static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new PuenteException(ErrorCode.WRONG_TYPE, "a non-negative whole number for " + name);
        }
        return value;
    }
}
