package org.puente.routes.drop;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.api.JsonBodies;
import org.puente.routes.config.DropFolderConfig;
import org.puente.routes.exchange.MailboxService;
import org.puente.routes.security.ClientPrincipal;
import org.puente.routes.store.InboxEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands received messages to agencies that take them as files: each unacknowledged message of the
 * agency's mailbox is written to its outbound folder as {@code <messageId>.json} (the mailbox
 * message of the REST API: header and payload), and the agency acknowledges it by deleting the
 * file or moving it out of the folder.
 *
 * <p>Implementation note: the gateway remembers which files it wrote with a marker per message in
 * its own data directory (the agency's folder is not trusted to keep state). Order per message:
 * the file is written and forced to disk, then the marker, then the hand-over is audited
 * ({@code DELIVERED}). So a marker always means "the file was written": a marker whose file is gone
 * is an acknowledgement. A crash before the marker rewrites the file at the next cycle — delivery
 * is at least once, as with the mailbox, and the message id lets the agency drop a duplicate.
 */
public final class DropDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(DropDelivery.class);
    private static final int PAGE = 100;
    private static final int MAX_PER_CYCLE = 1000;

    private final MailboxService mailboxes;
    private final Path stateRoot;

    /** @param stateRoot the gateway's own folder for markers (inside its data directory) */
    public DropDelivery(MailboxService mailboxes, Path stateRoot) {
        this.mailboxes = mailboxes;
        this.stateRoot = stateRoot;
    }

    /** One cycle for one agency: acknowledge the files it took, write the messages it has not got yet. */
    public int deliver(DropFolderConfig.Folder folder, ClientPrincipal agency) {
        Path outbound = folder.outbound().orElseThrow();
        Path markers = stateRoot.resolve(folder.client().id());
        try {
            Files.createDirectories(markers);
            acknowledgeTaken(outbound, markers, agency);
            return writeNew(outbound, markers, agency);
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "outbound folder of " + folder.client().id() + ": "
                    + DropFiles.reason(e));
        }
    }

    private void acknowledgeTaken(Path outbound, Path markers, ClientPrincipal agency) throws IOException {
        try (DirectoryStream<Path> written = Files.newDirectoryStream(markers)) {
            for (Path marker : written) {
                String id = marker.getFileName().toString();
                if (Files.exists(outbound.resolve(id + ".json"), LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    mailboxes.acknowledge(agency, UUID.fromString(id));
                    LOG.info("outbound folder: {} taken by {}, acknowledged", id, agency.clientId());
                } catch (PuenteException | IllegalArgumentException e) {
                    LOG.warn("outbound folder: marker {} of {} names no message of its mailbox; dropped", id, agency.clientId());
                }
                Files.deleteIfExists(marker);
            }
        }
    }

    private int writeNew(Path outbound, Path markers, ClientPrincipal agency) throws IOException {
        int written = 0;
        long after = 0;
        while (written < MAX_PER_CYCLE) {
            List<InboxEntry> page = mailboxes.pending(agency, after, PAGE);
            List<InboxEntry> handedOver = new ArrayList<>();
            for (InboxEntry e : page) {
                Path marker = markers.resolve(e.messageId().toString());
                if (!Files.exists(marker)) {
                    DropFiles.writeAtomically(outbound.resolve(e.messageId() + ".json"), JsonBodies.mailboxMessage(e), true);
                    DropFiles.writeAtomically(marker, new byte[0], true);
                    written++;
                }
                if (e.deliveredAt() == null) {
                    handedOver.add(e);
                }
            }
            // One audited hand-over per page (one durable commit); a crash before it is caught up next cycle.
            mailboxes.handOver(agency, handedOver);
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).mailboxSeq();
        }
        return written;
    }
}
