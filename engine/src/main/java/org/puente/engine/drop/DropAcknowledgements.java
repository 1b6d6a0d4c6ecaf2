package org.puente.engine.drop;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.puente.engine.config.DropFolderConfig;
import org.puente.engine.inbound.InboundLedger;
import org.puente.engine.inbound.InboxEntry;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.store.Transactions;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agency acknowledges a message it took as a file by deleting the file or moving it out of
 * its outbound folder. This scan finds the messages handed over as files whose file is gone and
 * acknowledges them (audit ACKNOWLEDGED, a delivery notice queued for the peer). The database
 * says which files the gateway wrote, so the scan is the same on every instance and repeating it
 * is harmless.
 */
public final class DropAcknowledgements {
    private static final Logger LOG = LoggerFactory.getLogger(DropAcknowledgements.class);
    private static final int PAGE = 200;

    private final List<DropFolderConfig.Folder> folders;
    private final Transactions tx;
    private final InboxStore inbox;
    private final InboundLedger ledger;
    private final Clock clock;
    private final Runnable wakeNotices;
    private final ExchangeObserver observer;

    public DropAcknowledgements(List<DropFolderConfig.Folder> folders, Transactions tx, InboxStore inbox,
                                InboundLedger ledger, Clock clock, Runnable wakeNotices, ExchangeObserver observer) {
        this.folders = folders.stream().filter(f -> f.outbound().isPresent()).toList();
        this.tx = tx;
        this.inbox = inbox;
        this.ledger = ledger;
        this.clock = clock;
        this.wakeNotices = wakeNotices;
        this.observer = observer;
    }

    /**
     * Acknowledges what the agencies took since the last scan; returns how many. An outbound
     * folder that is not a real folder any more (a symbolic link on its path) is refused
     * ({@code unsafe_file}, after the other folders are scanned): what is missing from a folder
     * the gateway cannot see is not taken.
     */
    public int scan() {
        int acknowledged = 0;
        PuenteException refused = null;
        for (DropFolderConfig.Folder f : folders) {
            try {
                acknowledged += scan(f);
            } catch (PuenteException e) {
                // the first refusal fails the cycle (logged and counted by the route); the others are logged here
                if (refused == null) {
                    refused = e;
                } else {
                    LOG.warn("drop folder of {}: nothing is acknowledged from its outbound folder: {}", f.client().id(),
                            e.getMessage());
                }
            }
        }
        if (acknowledged > 0) {
            wakeNotices.run();
        }
        if (refused != null) {
            throw refused;
        }
        return acknowledged;
    }

    private int scan(DropFolderConfig.Folder folder) {
        String actor = "drop folder " + folder.client().id();
        int acknowledged = 0;
        long after = 0;
        try (FolderHandle outbound = FolderHandle.open(folder.outbound().orElseThrow())) {
            while (true) {
                long from = after;
                List<InboxEntry> page = tx.read(c -> inbox.handedOverVia(c, folder.agency(), InboundLedger.DROP, from, PAGE));
                for (InboxEntry e : page) {
                    if (outbound.contains(e.messageId() + ".json")) {
                        continue;
                    }
                    Instant now = clock.instant();
                    if (tx.write(c -> ledger.acknowledged(c, e, InboundLedger.DROP, actor, now))) {
                        observer.acknowledged(e.header());
                        acknowledged++;
                    }
                }
                if (page.size() < PAGE) {
                    return acknowledged;
                }
                after = page.get(page.size() - 1).mailboxSeq();
            }
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "scanning the outbound folder of " + folder.client().id()
                    + ": " + DropFiles.reason(e));
        }
    }
}
