package org.puente.engine;

import java.time.Clock;
import java.util.List;
import org.puente.engine.answer.BusinessAnswerWorker;
import org.puente.engine.answer.BusinessAnswers;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.cases.AssistanceCases;
import org.puente.engine.cases.CaseDeadlineWorker;
import org.puente.engine.consent.ConsentRegister;
import org.puente.engine.cooperation.MessageRules;
import org.puente.engine.inbound.InboundLedger;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.inbound.NoticeSender;
import org.puente.engine.outbound.OutboundLedger;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.store.Transactions;
import org.puente.engine.withdrawal.WithdrawalReceiver;
import org.puente.engine.withdrawal.WithdrawalWorker;
import org.puente.engine.withdrawal.Withdrawals;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkRunner;
import org.puente.engine.work.WorkSettings;
import org.puente.engine.work.WorkWake;

/**
 * What messages mean beyond their transport, for one gateway: business answers, assistance cases,
 * the consent register, cancel and replace. Builds their services, the rules both doors consult
 * ({@link #rules()}) and registers their workers on the one work queue.
 */
public final class Cooperation {
    private final BusinessAnswers answers;
    private final AssistanceCases cases;
    private final ConsentRegister consents;
    private final Withdrawals withdrawals;
    private final WithdrawalReceiver withdrawalReceiver;
    private final MessageRules rules;
    private final Transactions tx;
    private final Stores stores;
    private final PeerEnvelopes envelopes;
    private final String gatewayName;
    private final Clock clock;

    /** The stores and ledgers it works on. */
    public record Stores(org.puente.engine.work.WorkQueue queue, AuditLog audit, InboxStore inbox, OutboxStore outbox,
                         OutboundLedger outLedger, InboundLedger inLedger) {
    }

    Cooperation(Transactions tx, Stores s, PeerEnvelopes envelopes, String gatewayName, Clock clock, WorkWake wake) {
        this.tx = tx;
        this.stores = s;
        this.envelopes = envelopes;
        this.gatewayName = gatewayName;
        this.clock = clock;
        this.answers = new BusinessAnswers(tx, s.inbox(), s.queue(), s.audit(), clock, () -> wake.wake(WorkKind.BUSINESS_ANSWER));
        this.cases = new AssistanceCases(tx, s.queue(), s.audit(), clock);
        this.consents = new ConsentRegister(tx, s.inbox(), s.outbox(), s.audit(), clock);
        this.withdrawals = new Withdrawals(tx, s.outbox(), s.outLedger(), s.queue(), clock,
                () -> wake.wake(WorkKind.WITHDRAWAL_NOTICE));
        this.withdrawalReceiver = new WithdrawalReceiver(tx, s.inbox(), s.inLedger(), envelopes, clock);
        this.rules = MessageRules.all(List.of(cases, consents));
    }

    /** Registers the workers: answers and withdrawals to the peer, case deadlines. */
    void register(WorkRunner runner, PeerClient peer, WorkSettings settings) {
        NoticeSender sender = new NoticeSender(tx, envelopes, stores.audit(), gatewayName, clock);
        runner.register(new BusinessAnswerWorker(sender, peer), settings);
        runner.register(new WithdrawalWorker(sender, peer), settings);
        runner.register(new CaseDeadlineWorker(stores.audit(), gatewayName, clock), settings);
    }

    public MessageRules rules() {
        return rules;
    }

    public BusinessAnswers answers() {
        return answers;
    }

    public AssistanceCases cases() {
        return cases;
    }

    public ConsentRegister consents() {
        return consents;
    }

    public Withdrawals withdrawals() {
        return withdrawals;
    }

    public WithdrawalReceiver withdrawalReceiver() {
        return withdrawalReceiver;
    }
}
