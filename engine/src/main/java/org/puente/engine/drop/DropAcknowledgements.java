package org.puente.engine.drop;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.puente.engine.config.DropFolderConfig;
import org.puente.engine.inbound.InboundLedger;
import org.puente.engine.inbound.InboxEntry;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.store.Transactions;

/**
 * An agency acknowledges a message it took as a file by deleting the file or moving it out of
 * its outbound folder. This scan finds the messages handed over as files whose file is gone and
 * acknowledges them (audit ACKNOWLEDGED, a delivery notice queued for the peer). The database
 * says which files the gateway wrote, so the scan is the same on every instance and repeating it
 * is harmless.
 */
public final class DropAcknowledgements {
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

    /** Acknowledges what the agencies took since the last scan; returns how many. */
    public int scan() {
        int acknowledged = 0;
        for (DropFolderConfig.Folder f : folders) {
            acknowledged += scan(f);
        }
        if (acknowledged > 0) {
            wakeNotices.run();
        }
        return acknowledged;
    }

    private int scan(DropFolderConfig.Folder folder) {
        Path outbound = folder.outbound().orElseThrow();
        String actor = "drop folder " + folder.client().id();
        int acknowledged = 0;
        long after = 0;
        while (true) {
            long from = after;
            List<InboxEntry> page = tx.read(c -> inbox.handedOverVia(c, folder.agency(), InboundLedger.DROP, from, PAGE));
            for (InboxEntry e : page) {
                if (Files.exists(outbound.resolve(e.messageId() + ".json"), LinkOption.NOFOLLOW_LINKS)) {
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
    }
}
