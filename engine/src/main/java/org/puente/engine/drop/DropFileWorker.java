package org.puente.engine.drop;

import java.io.IOException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.puente.engine.config.DropFolderConfig;
import org.puente.engine.inbound.InboundLedger;
import org.puente.engine.inbound.InboxEntry;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.inbound.MailboxMessages;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Job;
import org.puente.engine.work.Outcome;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.Worker;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands received messages to agencies that take them as files: each is written to the agency's
 * outbound folder as {@code <messageId>.json} (the mailbox message of the REST API), atomically
 * and forced to disk, and only then recorded as handed over (DELIVERED, via DROP). A crash
 * between the two writes the file again: delivery into the folder is at least once, and the
 * message id lets the agency drop a duplicate. The agency acknowledges a file by taking it
 * ({@link DropAcknowledgements}).
 *
 * <p>The agency can write its outbound folder, so every write is made through the folder opened
 * by descriptor ({@link FolderHandle}): no symbolic link on the folder's path, the temporary file
 * created new (a link planted under its name is refused, never written through), the rename done
 * within that folder. A refusal ({@code unsafe_file}) leaves the job queued and retried, with the
 * code on the job, until the folder is restored or the job expires into the dead letters.
 */
public final class DropFileWorker implements Worker {
    private static final Logger LOG = LoggerFactory.getLogger(DropFileWorker.class);
    private final Map<String, DropFolderConfig.Folder> folders;
    private final Transactions tx;
    private final InboxStore inbox;
    private final InboundLedger ledger;
    private final Clock clock;
    private final ExchangeObserver observer;

    /** @param folders the outbound folders, by receiving agency */
    public DropFileWorker(Map<String, DropFolderConfig.Folder> folders, Transactions tx, InboxStore inbox,
                          InboundLedger ledger, Clock clock, ExchangeObserver observer) {
        this.folders = Map.copyOf(folders);
        this.tx = tx;
        this.inbox = inbox;
        this.ledger = ledger;
        this.clock = clock;
        this.observer = observer;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.DROP_FILE;
    }

    @Override
    public List<Outcome> perform(List<Job> jobs) {
        List<Outcome> outcomes = new ArrayList<>(jobs.size());
        for (Job j : jobs) {
            InboxEntry e = tx.read(c -> inbox.find(c, j.messageId())).orElse(null);
            DropFolderConfig.Folder folder = e == null ? null : folders.get(e.header().receiver().agency());
            if (e == null || e.acknowledgedAt() != null || folder == null || folder.outbound().isEmpty()) {
                outcomes.add(Outcome.done(j, Outcome.Record.NOTHING));
                continue;
            }
            try (FolderHandle outbound = FolderHandle.open(folder.outbound().get())) {
                outbound.writeAtomically(e.messageId() + ".json", MailboxMessages.one(e), true);
            } catch (PuenteException ex) {
                // the folder, or a name the gateway writes in it, is not what it must be: tried again once restored
                LOG.warn("drop folder of {}: message {} not written, tried again later: {}", folder.client().id(),
                        e.messageId(), ex.getMessage());
                outcomes.add(Outcome.retry(j, ex.errorCode(), "outbound folder of " + folder.client().id() + ": "
                        + ex.getMessage()));
                continue;
            } catch (IOException ex) {
                outcomes.add(Outcome.retry(j, ErrorCode.INTERNAL_ERROR, "outbound folder of " + folder.client().id() + ": "
                        + DropFiles.reason(ex)));
                continue;
            }
            String actor = "drop folder " + folder.client().id();
            outcomes.add(Outcome.done(j, c -> {
                boolean first = ledger.handedOver(c, e, InboundLedger.DROP, actor, clock.instant());
                return first ? () -> observer.handedOver(e.header()) : () -> { };
            }));
        }
        return outcomes;
    }

    @Override
    public Runnable expired(Connection c, Job job, Instant now) {
        // the message stays in the mailbox
        return () -> { };
    }
}
