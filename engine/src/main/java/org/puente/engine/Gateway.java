package org.puente.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.LongConsumer;
import org.puente.engine.admission.AdmissionControl;
import org.puente.engine.cooperation.MessageRules;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.audit.AuditServices;
import org.puente.engine.audit.ReconciliationWorker;
import org.puente.engine.config.DropFolderConfig;
import org.puente.engine.config.GatewayConfig;
import org.puente.engine.drop.DropAcknowledgements;
import org.puente.engine.drop.DropFileWorker;
import org.puente.engine.drop.DropIntake;
import org.puente.engine.inbound.AgencyPushWorker;
import org.puente.engine.inbound.DeliveryNoticeWorker;
import org.puente.engine.inbound.InboundLedger;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.inbound.MailboxService;
import org.puente.engine.inbound.PeerReceiver;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.keys.KeyAnnouncements;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.engine.keys.KeyReloads;
import org.puente.engine.ops.AuditQueries;
import org.puente.engine.ops.DeadLetters;
import org.puente.engine.ops.OperatorActions;
import org.puente.engine.ops.PayloadRetention;
import org.puente.engine.ops.StateReadings;
import org.puente.engine.outbound.NoticeReceiver;
import org.puente.engine.outbound.OutboundLedger;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.outbound.PeerEnvelopeWorker;
import org.puente.engine.outbound.StatusService;
import org.puente.engine.outbound.StatusStore;
import org.puente.engine.outbound.SubmissionService;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.security.ClientDirectory;
import org.puente.engine.security.GatewaySecurity;
import org.puente.engine.store.Database;
import org.puente.engine.store.DatabaseOpening;
import org.puente.engine.store.PayloadCipher;
import org.puente.engine.store.StorageKeys;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Backoff;
import org.puente.engine.work.LeaseOwner;
import org.puente.engine.work.Switchboard;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.engine.work.WorkRunner;
import org.puente.engine.work.WorkSettings;
import org.puente.engine.work.WorkWake;
import org.puente.audit.store.Dialect;
import org.puente.model.validation.MessageValidator;

/**
 * One gateway's object graph, built from its configuration in plain Java: security, the store,
 * the one work queue with a worker per kind of work, and the services the doors call. A
 * framework (the routes module) binds the listeners to the services and drives the queue.
 */
public final class Gateway implements AutoCloseable {
    /** What the framework hands in: observers, threads for outgoing HTTP, and the queue's wake-up. */
    public record Hooks(ExchangeObserver observer, AuditLog.AppendListener appends, Transactions.GroupListener commits,
                        LongConsumer reconciliationMismatches, ExecutorService httpExecutor, WorkWake wake) {
    }

    private final GatewayConfig config;
    private final GatewaySecurity security;
    private final Database database;
    private final Transactions tx;
    private final AdmissionControl admission;
    private final ClientDirectory clients;
    private final PeerEnvelopes envelopes;
    private final PeerClient peerClient;
    private final WorkQueue queue;
    private final WorkRunner runner;
    private final SubmissionService submissions;
    private final StatusService statuses;
    private final MailboxService mailboxes;
    private final Cooperation cooperation;
    private final PeerReceiver receiver;
    private final NoticeReceiver notices;
    private final DeadLetters deadLetters;
    private final OperatorActions operatorActions;
    private final StateReadings readings;
    private final PayloadRetention payloadRetention;
    private final AuditServices audit;
    private final AuditQueries auditQueries;
    private final KeyAnnouncements keyAnnouncements;
    private final KeyReloads keyReloads;
    private final Optional<DropIntake> dropIntake;
    private final Optional<DropAcknowledgements> dropAcknowledgements;
    private final WorkWake wake;

    /** @param catalogue the message catalogue both gateways agreed on (configuration; the built-in one by default) */
    public Gateway(GatewayConfig config, MessageCatalogue catalogue, DropFolderConfig drops, Hooks hooks) {
        this(config, catalogue, drops, hooks, Clock.systemUTC());
    }

    /**
     * A gateway reading the time from {@code clock}: its schedules (the reconciliation's due
     * check), the work queue's leases and retries, audit times, the signing times of its
     * statements and its judgement of the peer's.
     *
     * <p>Implementation note: production runs the system's UTC clock (the other constructor); this
     * one is the seam that lets a test move time past midnight and through retry backoffs instead
     * of waiting. Envelopes are still sealed at the system's time ({@code PeerEnvelopes}).
     */
    public Gateway(GatewayConfig config, MessageCatalogue catalogue, DropFolderConfig drops, Hooks hooks, Clock clock) {
        this.config = config;
        MessageValidator validator = catalogue == MessageCatalogue.standard() ? MessageValidator.standard()
                : new MessageValidator(catalogue);
        // an embedded database opens and migrates while the keystore and trust material are read
        DatabaseOpening opening = DatabaseOpening.start(config.database().jdbcUrl().isEmpty(), () -> open(config));
        this.security = opening.whileOpening(() -> new GatewaySecurity(config, clock));
        this.database = opening.await();
        this.tx = new Transactions(database, 512);
        tx.setListener(hooks.commits());
        AuditLog audit = new AuditLog(config.country(), database.dialect(), hooks.appends());
        // payloads at rest: encrypted under the database's storage key, sealed to this keystore
        PayloadCipher payloads = StorageKeys.open(tx, security.keys(), security.profile(), clock);
        OutboxStore outbox = new OutboxStore(payloads);
        InboxStore inbox = new InboxStore(payloads);
        this.queue = new WorkQueue(database.dialect());
        Switchboard switches = new Switchboard();
        this.admission = AdmissionControl.of(config.limits());
        this.clients = new ClientDirectory(config.country(), config.clients());
        this.envelopes = new PeerEnvelopes(security::keys, security.profile(), security.peerRecipient(),
                security.peerTrust(), config.limits().maxPayloadBytes(), config.gatewayName(), config.peer().gatewayName(),
                clock);
        this.peerClient = new PeerClient(security.peerClientContext(), config.peer().url(), config.peer().gatewayName(),
                config.peer().connectTimeout(), config.peer().requestTimeout(), config.peer().requestTimeoutPerMib(),
                hooks.httpExecutor());
        LeaseOwner owner = LeaseOwner.of(config.gatewayName(),
                config.database().instanceId().filter(id -> database.dialect() == Dialect.POSTGRESQL), database::lockInstance);
        this.runner = new WorkRunner(tx, queue, owner.value(), clock);
        WorkWake wake = hooks.wake();
        this.wake = wake;
        ExchangeObserver observer = hooks.observer();

        OutboundLedger outLedger = new OutboundLedger(outbox, new StatusStore(), audit, config.gatewayName(),
                config.peer().gatewayName());
        Map<String, DropFolderConfig.Folder> outboundFolders = new HashMap<>();
        drops.folders().stream().filter(f -> f.outbound().isPresent()).forEach(f -> outboundFolders.put(f.agency(), f));
        InboundLedger inLedger = new InboundLedger(inbox, queue, audit,
                InboundLedger.handOvers(List.copyOf(config.push().keySet()), List.copyOf(outboundFolders.keySet())),
                config.gatewayName(), config.peer().gatewayName());

        this.cooperation = new Cooperation(tx, new Cooperation.Stores(queue, audit, inbox, outbox, outLedger, inLedger),
                envelopes, config.gatewayName(), clock, wake);
        MessageRules rules = cooperation.rules();
        this.submissions = new SubmissionService(new SubmissionService.Parts(validator, tx, outbox, outLedger, queue, audit,
                admission, envelopes), rules, () -> wake.wake(WorkKind.PEER_ENVELOPE), clock, observer);
        this.statuses = new StatusService(tx, outbox, new StatusStore());
        Runnable wakeNotices = () -> wake.wake(WorkKind.DELIVERY_NOTICE);
        this.mailboxes = new MailboxService(tx, inbox, inLedger, clock, wakeNotices, observer);
        this.receiver = new PeerReceiver(envelopes, new PeerReceiver.Checks(validator, rules, config.country(), admission), tx, inbox,
                inLedger, clock, () -> {
            wake.wake(WorkKind.AGENCY_PUSH);
            wake.wake(WorkKind.DROP_FILE);
        }, observer);
        this.notices = new NoticeReceiver(tx, outbox, outLedger, queue, envelopes, clock, observer);
        this.audit = new AuditServices(config, tx, audit, security, peerClient, hooks.reconciliationMismatches(), clock);
        this.auditQueries = new AuditQueries(tx, new AuditQueries.Sources(this.audit.store(), this.audit.checkpointStore(),
                this.audit.archiveStore(), audit, this.audit.exporter(), outbox, inbox),
                config.dataDir().resolve("audit-exports"), config.gatewayName(), clock);
        this.deadLetters = new DeadLetters(tx, queue, outbox, inbox, outLedger, audit, envelopes, () -> {
            for (WorkKind k : WorkKind.values()) {
                wake.wake(k);
            }
        }, clock);
        this.operatorActions = new OperatorActions(tx, audit, switches, () -> {
                    GatewaySecurity.CrlReload r = security.reloadCrls();
                    return new OperatorActions.CrlReloadResult(r.crls(), r.summary());
                },
                () -> wake.wake(WorkKind.PEER_ENVELOPE), clock);
        this.keyAnnouncements = new KeyAnnouncements(security, envelopes, peerClient, tx, audit, clock);
        keyAnnouncements.adoptStored();
        this.keyReloads = new KeyReloads(security, tx, audit, keyAnnouncements, clock);
        this.readings = new StateReadings(tx, new StateReadings.Sources(outbox, inbox, queue, switches, cooperation.cases()));
        this.payloadRetention = new PayloadRetention(tx, outbox, inbox, audit, config.database().payloadRetention(),
                config.gatewayName(), clock);

        GatewayConfig.Dispatch d = config.dispatch();
        Backoff backoff = new Backoff(d.initialBackoff(), d.maxBackoff());
        // what one batch carries at most (a single larger message goes alone): bounds the heap a claim needs
        long maxBatchBytes = 4L * 1024 * 1024;
        runner.register(new PeerEnvelopeWorker(tx, outbox, outLedger,
                new PeerEnvelopeWorker.Road(envelopes, peerClient, admission), clock, observer),
                new WorkSettings(d.batchSize(), d.concurrency(), maxBatchBytes, d.lease(), backoff,
                        new WorkSettings.ReservedLanes(d.reserved().urgent(), d.reserved().bulk())));
        runner.register(new DeliveryNoticeWorker(tx, inbox, inLedger, envelopes, peerClient, clock, observer),
                new WorkSettings(200, 1, Long.MAX_VALUE, d.lease(), backoff));
        cooperation.register(runner, peerClient, new WorkSettings(100, 1, Long.MAX_VALUE, d.lease(), backoff));
        runner.register(new ReconciliationWorker(audit().reconciliation()),
                new WorkSettings(1, 1, Long.MAX_VALUE, Duration.ofMinutes(10), new Backoff(Duration.ofMinutes(1),
                        Duration.ofMinutes(30))));
        if (!config.push().isEmpty()) {
            runner.register(new AgencyPushWorker(config.push(), security.agencyClientContext(), hooks.httpExecutor(), tx,
                    inbox, inLedger, clock, wakeNotices, observer),
                    new WorkSettings(16, 2, maxBatchBytes, d.lease(), backoff, new WorkSettings.ReservedLanes(1, 1)));
        }
        if (!outboundFolders.isEmpty()) {
            runner.register(new DropFileWorker(outboundFolders, tx, inbox, inLedger, clock, observer),
                    new WorkSettings(100, 1, maxBatchBytes, d.lease(), backoff));
        }
        this.dropIntake = drops.folders().stream().anyMatch(f -> f.inbound().isPresent())
                ? Optional.of(new DropIntake(submissions, admission, config.country(), clock)) : Optional.empty();
        this.dropAcknowledgements = outboundFolders.isEmpty() ? Optional.empty()
                : Optional.of(new DropAcknowledgements(List.copyOf(outboundFolders.values()), tx, inbox, inLedger, clock,
                        wakeNotices, observer));
        if (database.dialect() == Dialect.SQLITE) {
            // one process owns the embedded database: the leases in it are its previous run's
            runner.releaseStaleLeases();
        }
        owner.instance().ifPresent(runner::releaseLeasesOfEarlierRuns);
    }

    private static Database open(GatewayConfig config) {
        GatewayConfig.Database db = config.database();
        if (db.jdbcUrl().isEmpty()) {
            return Database.embedded(config.dataDir(), db.poolSize());
        }
        String password = Optional.ofNullable(System.getenv(db.passwordEnv())).orElse("");
        return Database.postgres(db.jdbcUrl().get(), db.user(), password, db.poolSize());
    }

    public GatewayConfig config() {
        return config;
    }

    /** Our encryption certificate announced to the peer, and the peer's announcements received. */
    public KeyAnnouncements keyAnnouncements() {
        return keyAnnouncements;
    }

    /** The operators' key reload. */
    public KeyReloads keyReloads() {
        return keyReloads;
    }

    public GatewaySecurity security() {
        return security;
    }

    public Transactions transactions() {
        return tx;
    }

    public AdmissionControl admission() {
        return admission;
    }

    public ClientDirectory clients() {
        return clients;
    }

    public PeerEnvelopes envelopes() {
        return envelopes;
    }

    public PeerClient peerClient() {
        return peerClient;
    }

    public WorkRunner runner() {
        return runner;
    }

    public WorkQueue queue() {
        return queue;
    }

    public SubmissionService submissions() {
        return submissions;
    }

    public StatusService statuses() {
        return statuses;
    }

    public MailboxService mailboxes() {
        return mailboxes;
    }

    /** Business answers, assistance cases, the consent register, cancel and replace. */
    public Cooperation cooperation() {
        return cooperation;
    }

    public PeerReceiver receiver() {
        return receiver;
    }

    public NoticeReceiver notices() {
        return notices;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    public OperatorActions operatorActions() {
        return operatorActions;
    }

    public StateReadings readings() {
        return readings;
    }

    public AuditServices audit() {
        return audit;
    }

    /** The payload sweep: encrypts payloads left in clear, purges those past their retention. */
    public PayloadRetention payloadRetention() {
        return payloadRetention;
    }

    /** What the auditor API asks of the log. */
    public AuditQueries auditQueries() {
        return auditQueries;
    }

    public Optional<DropIntake> dropIntake() {
        return dropIntake;
    }

    public Optional<DropAcknowledgements> dropAcknowledgements() {
        return dropAcknowledgements;
    }

    /** Queues yesterday's reconciliation with the peer if it is due and not done (any instance may call it). */
    public boolean enqueueReconciliationIfDue() {
        boolean queued = audit.reconciliation().enqueueIfDue(queue);
        if (queued) {
            wake.wake(WorkKind.RECONCILIATION);
        }
        return queued;
    }

    /** Whether the agency API admits submissions now (readiness is decided by the health schedule). */
    public boolean admitsWork() {
        return admission.isReady();
    }

    @Override
    public void close() {
        audit.checkpointOnShutdown();
        tx.close();
        database.close();
    }
}
