package org.puente.engine.drop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.api.ErrorBody;
import org.puente.engine.api.Json;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.config.DropFolderConfig;
import org.puente.engine.outbound.AdmissionControl;
import org.puente.engine.store.Digests;
import org.puente.engine.outbound.SubmissionService;
import org.puente.engine.security.ClientPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits the files an agency drops into its inbound folder through the one submission pipeline,
 * as that agency, and files each away: {@code processed/} with a receipt holding the message id,
 * or {@code rejected/} with a reason file listing every problem (the REST error body).
 *
 * <p>Implementation note (crash safety): each file is submitted with an idempotency key derived
 * from its name and the SHA-256 of its content, and moved only after the submission is durable.
 * A gateway killed between the two finds the file again on restart; the same key and bytes
 * answer the first message id ({@code replayed}), so nothing is submitted twice, and the receipt
 * says which message the file became. Road failures (not ready, overloaded, database) leave the
 * file where it is for the next scan; only the sender's faults reject it.
 */
public final class DropIntake {
    private static final Logger LOG = LoggerFactory.getLogger(DropIntake.class);
    public static final String PROCESSED = "processed";
    public static final String REJECTED = "rejected";

    /** Reads a dropped file (a seam for tests of read failures, which root cannot provoke with permissions). */
    @FunctionalInterface
    interface FileSource {
        Optional<DropFiles.Dropped> read(Path file, long maxBytes, long maxPayloadBytes);
    }

    private final SubmissionService submissions;
    private final AdmissionControl admission;
    private final Country country;
    private final Clock clock;
    private final FileSource source;

    public DropIntake(SubmissionService submissions, AdmissionControl admission, Country country, Clock clock) {
        this(submissions, admission, country, clock, DropFiles::read);
    }

    DropIntake(SubmissionService submissions, AdmissionControl admission, Country country, Clock clock, FileSource source) {
        this.submissions = submissions;
        this.admission = admission;
        this.country = country;
        this.clock = clock;
        this.source = source;
    }

    /** Creates the folders the agency and the gateway use; called at start-up. */
    public static void prepare(DropFolderConfig.Folder folder) throws IOException {
        if (folder.inbound().isPresent()) {
            Files.createDirectories(folder.inbound().get().resolve(PROCESSED));
            Files.createDirectories(folder.inbound().get().resolve(REJECTED));
        }
        if (folder.outbound().isPresent()) {
            Files.createDirectories(folder.outbound().get());
        }
    }

    /** Takes one file of {@code folder}'s inbound folder. */
    public DropOutcome take(DropFolderConfig.Folder folder, Path file) {
        Path inbound = folder.inbound().orElseThrow().toAbsolutePath().normalize();
        Path path = file.toAbsolutePath().normalize();
        if (!inbound.equals(path.getParent())) {
            LOG.warn("drop folder of {}: ignored {}, which is not directly in {}", folder.client().id(), path, inbound);
            return DropOutcome.SKIPPED;
        }
        String name = path.getFileName().toString();
        DropFiles.Dropped dropped = null;
        SubmissionService.Accepted a;
        try {
            Optional<DropFiles.Dropped> read = source.read(path, admission.maxDocumentBytes(), admission.maxPayloadBytes());
            if (read.isEmpty()) {
                return DropOutcome.SKIPPED;
            }
            dropped = read.get();
            DropFiles.requireUtf8(dropped.content());
            a = submissions.submit(principal(country, folder), dropped.content(), idempotencyKey(name, dropped.content()));
        } catch (PuenteException e) {
            if (e.errorCode().retryable()) {
                LOG.warn("drop folder of {}: {} left for the next scan: {}", folder.client().id(), name, e.getMessage());
                return DropOutcome.RETRY_LATER;
            }
            if (replaced(folder, path, dropped)) {
                return DropOutcome.SKIPPED;
            }
            file(folder, path, reason(name, dropped == null ? null : dropped.content(), e, folder), ".reason.json", REJECTED);
            LOG.warn("drop folder of {}: {} rejected ({})", folder.client().id(), name, e.errorCode().code());
            return DropOutcome.REJECTED;
        }
        if (replaced(folder, path, dropped)) {
            return DropOutcome.SKIPPED;
        }
        file(folder, path, receipt(name, dropped.content(), a), ".receipt.json", PROCESSED);
        LOG.info("drop folder of {}: {} submitted as {}{}", folder.client().id(), name, a.messageId(),
                a.replayed() ? " (replayed)" : "");
        return a.replayed() ? DropOutcome.REPLAYED : DropOutcome.ACCEPTED;
    }

    /**
     * The agency put a new file under the same name while this one was being taken: leave it for
     * the next scan (its content is another message) rather than file it with this one's receipt.
     */
    private static boolean replaced(DropFolderConfig.Folder folder, Path path, DropFiles.Dropped dropped) {
        if (dropped == null || dropped.isStill(path)) {
            return false;
        }
        LOG.warn("drop folder of {}: {} was replaced or removed while being taken; a new file is taken at the next scan",
                folder.client().id(), path.getFileName());
        return true;
    }

    /**
     * Refuses what the file consumer never lists: symbolic links to nothing (a directory listing
     * reports them, but they are neither a file nor a folder). Each gets the reason file of any
     * other link.
     */
    public int sweepDanglingLinks(DropFolderConfig.Folder folder) {
        int refused = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder.inbound().orElseThrow())) {
            for (Path p : entries) {
                if (Files.isSymbolicLink(p) && !Files.exists(p) && !p.getFileName().toString().startsWith(".")) {
                    take(folder, p);
                    refused++;
                }
            }
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "listing the inbound folder of " + folder.client().id());
        }
        return refused;
    }

    /**
     * The key that makes a file's submission idempotent: its name and content. The same file found
     * again (after a crash) replays; the same content under another name is a new message.
     */
    static String idempotencyKey(String name, byte[] document) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] material = new byte[n.length + 1 + document.length];
        System.arraycopy(n, 0, material, 0, n.length);
        System.arraycopy(document, 0, material, n.length + 1, document.length);
        return "drop." + HexFormat.of().formatHex(Digests.sha256(material));
    }

    /** The configured agency client the folder's files are submitted as (the folder's access rights authenticate it). */
    public static ClientPrincipal principal(Country country, DropFolderConfig.Folder folder) {
        ClientEntry c = folder.client();
        String actor = c.subject().map(s -> s.getName()).orElse("client " + c.id()) + " (drop folder)";
        return new ClientPrincipal(c.id(), ClientEntry.Role.AGENCY, Optional.of(new AgencyRef(country, folder.agency())), actor);
    }

    /** Writes the receipt or reason beside the file's new place, then moves the file there. */
    private static void file(DropFolderConfig.Folder folder, Path path, byte[] note, String suffix, String where) {
        Path target = DropFiles.freeName(path.getParent().resolve(where), path.getFileName().toString());
        try {
            DropFiles.writeAtomically(target.resolveSibling(target.getFileName() + suffix), note, false);
            DropFiles.move(path, target);
            if (folder.doneFiles()) {
                Files.deleteIfExists(path.resolveSibling(path.getFileName() + ".done"));
            }
        } catch (IOException e) {
            // The file stays in the inbound folder and is taken again at the next scan (idempotently).
            String reference = UUID.randomUUID().toString();
            LOG.error("drop folder of {}: {} cannot be filed into {}/ ({}); it stays and is taken again, reference {}",
                    folder.client().id(), path.getFileName(), where, DropFiles.reason(e), reference);
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, reference);
        }
    }

    /** What a receipt file says: which message a dropped file became. */
    public record ReceiptFile(String file, String sha256, String messageId, String status, String statusUrl, boolean replayed,
                              String at) {
    }

    /** What a reason file says: why a dropped file was refused ({@code sha256} null for a file that was never read). */
    public record ReasonFile(String file, String sha256, String at, ErrorBody error) {
    }

    private byte[] receipt(String name, byte[] document, SubmissionService.Accepted a) {
        return Json.write(new ReceiptFile(name, HexFormat.of().formatHex(Digests.sha256(document)), a.messageId().toString(),
                "ACCEPTED", "/api/v1/messages/" + a.messageId(), a.replayed(), clock.instant().toString()));
    }

    private byte[] reason(String name, byte[] document, PuenteException e, DropFolderConfig.Folder folder) {
        return Json.write(new ReasonFile(name, document == null ? null : HexFormat.of().formatHex(Digests.sha256(document)),
                clock.instant().toString(), ErrorBody.of(e, folder.language())));
    }
}
