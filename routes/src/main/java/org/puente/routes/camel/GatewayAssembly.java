package org.puente.routes.camel;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.validation.MessageValidator;
import org.puente.routes.api.AgencyHandler;
import org.puente.routes.api.AgencySoapHandler;
import org.puente.routes.audit.AuditServices;
import org.puente.routes.api.PeerHandler;
import org.puente.routes.config.GatewayConfig;
import org.puente.routes.exchange.AdmissionControl;
import org.puente.routes.exchange.AgencyPushService;
import org.puente.routes.exchange.Backoff;
import org.puente.routes.exchange.DeadLetters;
import org.puente.routes.exchange.DispatchControl;
import org.puente.routes.exchange.DispatchQueue;
import org.puente.routes.exchange.MailboxService;
import org.puente.routes.exchange.NoticeService;
import org.puente.routes.exchange.OperatorActions;
import org.puente.routes.exchange.OutboundDispatcher;
import org.puente.routes.exchange.PeerEnvelopes;
import org.puente.routes.exchange.PeerReceiver;
import org.puente.routes.exchange.StatusService;
import org.puente.routes.exchange.SubmissionService;
import org.puente.routes.ops.GatewayMetrics;
import org.puente.routes.ops.HealthMonitor;
import org.puente.routes.ops.MeteredAuditLog;
import org.puente.routes.peer.PeerClient;
import org.puente.routes.security.ClientDirectory;
import org.puente.routes.security.GatewaySecurity;
import org.puente.routes.store.AuditLog;
import org.puente.routes.store.Database;
import org.puente.routes.store.DeadLetterStore;
import org.puente.routes.store.InboxStore;
import org.puente.routes.store.NoticeStore;
import org.puente.routes.store.OutboxStore;
import org.puente.routes.store.StatusStore;
import org.puente.routes.store.Transactions;

/**
 * Builds one gateway's object graph from its configuration: security, storage, the exchange
 * services and the API handlers. No Camel here beyond the wake-up hooks handed in; the Camel
 * wiring is {@link GatewayConfiguration}.
 */
public final class GatewayAssembly implements AutoCloseable {
    /** Hooks that wake the background routes (given by the Camel side once it can send). */
    public record Wakers(Runnable dispatcher, Runnable notices, Runnable push) {
    }

    final GatewayConfig config;
    final GatewaySecurity security;
    final Database database;
    final Transactions tx;
    final GatewayMetrics metrics;
    final AdmissionControl admission;
    final DispatchControl dispatchControl = new DispatchControl();
    final ClientDirectory clients;
    final PeerEnvelopes envelopes;
    final PeerClient peerClient;
    final SubmissionService submissions;
    final MailboxService mailboxes;
    final StatusService statuses;
    final OutboundDispatcher dispatcher;
    final PeerReceiver receiver;
    final NoticeService notices;
    final AgencyPushService push;
    final AgencyHandler agencyHandler;
    final AgencySoapHandler agencySoapHandler;
    final PeerHandler peerHandler;
    final HealthMonitor health;
    final DeadLetters deadLetters;
    final OperatorActions operatorActions;
    final AuditServices audit;

    public GatewayAssembly(GatewayConfig config, GatewayMetrics metrics, ExecutorService peerExecutor, Wakers wake) {
        this.config = config;
        this.metrics = metrics;
        Clock clock = Clock.systemUTC();
        MessageValidator validator = MessageValidator.standard();
        MessageCatalogue catalogue = validator.catalogue();
        this.security = new GatewaySecurity(config);
        this.database = open(config);
        this.tx = new Transactions(database, 512);
        tx.setListener(metrics);
        AuditLog audit = new MeteredAuditLog(config.country(), metrics);
        OutboxStore outbox = new OutboxStore(database.dialect());
        InboxStore inbox = new InboxStore();
        NoticeStore noticeStore = new NoticeStore();
        StatusStore statusStore = new StatusStore();
        this.admission = new AdmissionControl(config.limits().maxPayloadBytes(), config.limits().maxOutboxBacklog());
        this.clients = new ClientDirectory(config.country(), config.clients());
        this.envelopes = new PeerEnvelopes(security.keys(), security.profile(), security.peerEncryptionCertificate(),
                security.peerTrust(), config.limits().maxPayloadBytes(), config.gatewayName(), config.peer().gatewayName(),
                clock);
        this.peerClient = new PeerClient(security.peerClientContext(), config.peer().url(), config.peer().gatewayName(),
                config.peer().connectTimeout(), config.peer().requestTimeout(), peerExecutor);
        Backoff backoff = new Backoff(config.dispatch().initialBackoff(), config.dispatch().maxBackoff());
        String instanceId = config.gatewayName() + "/" + java.util.UUID.randomUUID();
        DispatchQueue fastPath = new DispatchQueue(Math.max(256, 4 * config.dispatch().batchSize() * config.dispatch().concurrency()),
                config.dispatch().lease(), clock);
        this.submissions = new SubmissionService(validator, catalogue, tx, outbox, statusStore, audit, admission, envelopes,
                fastPath, instanceId, wake.dispatcher(), clock, metrics);
        this.statuses = new StatusService(tx, outbox, statusStore);
        this.mailboxes = new MailboxService(tx, inbox, noticeStore, audit, clock, wake.notices(), metrics);
        this.dispatcher = new OutboundDispatcher(instanceId, fastPath, tx, outbox, statusStore, audit, envelopes, peerClient,
                dispatchControl, config.dispatch(), clock, metrics);
        this.receiver = new PeerReceiver(envelopes, validator, tx, inbox, audit, clock, wake.push(), metrics);
        this.notices = new NoticeService(tx, noticeStore, outbox, statusStore, audit, envelopes, peerClient, dispatchControl,
                backoff, clock, metrics);
        this.push = new AgencyPushService(config.push(), security.agencyClientContext(), peerExecutor, tx, inbox,
                noticeStore, audit, backoff, clock, wake.notices(), metrics);
        this.audit = new AuditServices(config, tx, audit, security, peerClient, metrics::reconciliationMismatch,
                clock);
        this.agencyHandler = new AgencyHandler(submissions, statuses, mailboxes, config.limits());
        this.agencySoapHandler = new AgencySoapHandler(submissions, statuses, mailboxes);
        this.peerHandler = new PeerHandler(receiver, notices, envelopes, config.limits().maxBatchItems(),
                this.audit.reconciliation());
        DeadLetterStore deadLetterStore = new DeadLetterStore();
        this.health = new HealthMonitor(config, tx, outbox, inbox, deadLetterStore, admission, dispatchControl, envelopes,
                peerClient, security, metrics, clock);
        this.deadLetters = new DeadLetters(tx, outbox, deadLetterStore, statusStore, audit, config.gatewayName(),
                wake.dispatcher(), clock, metrics, dispatchControl, dispatcher::releaseReserved);
        this.operatorActions = new OperatorActions(tx, audit, dispatchControl, security::reloadCrls, wake.dispatcher(),
                clock);
    }

    private static Database open(GatewayConfig config) {
        Optional<String> url = config.database().jdbcUrl();
        int connections = 16;
        if (url.isEmpty()) {
            return Database.embedded(config.dataDir(), connections);
        }
        String password = Optional.ofNullable(System.getenv(config.database().passwordEnv())).orElse("");
        return Database.of(url.get(), config.database().user(), password, connections);
    }

    public GatewayConfig config() {
        return config;
    }

    public Transactions transactions() {
        return tx;
    }

    public DispatchControl dispatchControl() {
        return dispatchControl;
    }

    public HealthMonitor health() {
        return health;
    }

    /** Whether the agency API admits submissions now (readiness is decided by the health schedule). */
    public boolean admitsWork() {
        return admission.isReady();
    }

    /** The audit log's services: checkpoints, exports, retention, reconciliation. */
    public AuditServices audit() {
        return audit;
    }

    @Override
    public void close() {
        audit.checkpointOnShutdown();
        tx.close();
        database.close();
    }
}
