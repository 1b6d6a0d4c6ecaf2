package org.puente.engine.drop;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.engine.admission.AdmissionControl;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.api.ErrorBody;
import org.puente.engine.api.Json;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.config.DropFolderConfig;
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
 *
 * <p>Implementation note (an agency that writes its folder): {@code processed/} and
 * {@code rejected/} lie inside the folder the agency can write, so the agency can rename them
 * and put something else in their place. Before a file is even read, the three folders are
 * opened by descriptor ({@link FolderHandle}): the inbound folder with no symbolic link on its
 * path, the two others as real folders owned by the gateway's user. Everything after (the read,
 * the receipt or reason, the move, the done-file) is done relative to those descriptors, so a
 * swap during the work changes nothing either. A folder that is not what it must be is refused
 * with {@code unsafe_file} (a failed cycle of the route: logged and counted): nothing is
 * submitted, and the file stays for the next scan once the folder is restored.
 */
public final class DropIntake {
    private static final Logger LOG = LoggerFactory.getLogger(DropIntake.class);
    public static final String PROCESSED = "processed";
    public static final String REJECTED = "rejected";

    /** Reads a dropped file (a seam for tests of read failures, which root cannot provoke with permissions). */
    @FunctionalInterface
    interface FileSource {
        Optional<DropFiles.Dropped> read(FolderHandle folder, String name, long maxBytes, long maxPayloadBytes);
    }

    /** Submits a document (a seam for tests of the filing without a whole gateway). */
    @FunctionalInterface
    interface Submitter {
        SubmissionService.Accepted submit(ClientPrincipal caller, byte[] document, String idempotencyKey);
    }

    private final Submitter submissions;
    private final AdmissionControl admission;
    private final Country country;
    private final Clock clock;
    private final FileSource source;

    public DropIntake(SubmissionService submissions, AdmissionControl admission, Country country, Clock clock) {
        this(submissions::submit, admission, country, clock, DropFiles::read);
    }

    DropIntake(Submitter submissions, AdmissionControl admission, Country country, Clock clock, FileSource source) {
        this.submissions = submissions;
        this.admission = admission;
        this.country = country;
        this.clock = clock;
        this.source = source;
    }

    /**
     * Creates the folders the agency and the gateway use, and checks them as every later use
     * will; called at start-up. A folder that is not what it must be is refused
     * ({@code unsafe_file}).
     */
    public static void prepare(DropFolderConfig.Folder folder) throws IOException {
        if (folder.inbound().isPresent()) {
            Path inbound = folder.inbound().get();
            Files.createDirectories(inbound);
            for (String own : new String[] {PROCESSED, REJECTED}) {
                if (!Files.exists(inbound.resolve(own), LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(inbound.resolve(own));
                }
            }
            InboundFolders.open(folder).close();
        }
        if (folder.outbound().isPresent()) {
            Files.createDirectories(folder.outbound().get());
            FolderHandle.open(folder.outbound().get()).close();
        }
    }

    /** The inbound folder and the two the gateway files into, each opened by descriptor and checked. */
    private record InboundFolders(FolderHandle inbound, FolderHandle processed, FolderHandle rejected)
            implements AutoCloseable {

        static InboundFolders open(DropFolderConfig.Folder folder) throws IOException {
            FolderHandle in = FolderHandle.open(folder.inbound().orElseThrow());
            FolderHandle processed = null;
            try {
                processed = in.gatewayFolder(PROCESSED);
                return new InboundFolders(in, processed, in.gatewayFolder(REJECTED));
            } catch (IOException | RuntimeException e) {
                if (processed != null) {
                    processed.close();
                }
                in.close();
                throw e;
            }
        }

        FolderHandle into(String where) {
            return PROCESSED.equals(where) ? processed : rejected;
        }

        @Override
        public void close() {
            rejected.close();
            processed.close();
            inbound.close();
        }
    }

    /**
     * Takes one file of {@code folder}'s inbound folder. Throws {@code unsafe_file} when the
     * inbound folder, {@code processed/} or {@code rejected/} is not what it must be (nothing is
     * read or submitted), or when something was planted under the name of a temporary file.
     */
    public DropOutcome take(DropFolderConfig.Folder folder, Path file) {
        Path inbound = folder.inbound().orElseThrow().toAbsolutePath().normalize();
        Path path = file.toAbsolutePath().normalize();
        if (!inbound.equals(path.getParent())) {
            LOG.warn("drop folder of {}: ignored {}, which is not directly in {}", folder.client().id(), path, inbound);
            return DropOutcome.SKIPPED;
        }
        try (InboundFolders folders = open(folder)) {
            return take(folder, folders, path.getFileName().toString());
        }
    }

    private static InboundFolders open(DropFolderConfig.Folder folder) {
        try {
            // a refusal (unsafe_file) goes up as it is: the route logs and counts it as a failed cycle
            return InboundFolders.open(folder);
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "opening the drop folders of " + folder.client().id()
                    + ": " + DropFiles.reason(e));
        }
    }

    private DropOutcome take(DropFolderConfig.Folder folder, InboundFolders folders, String name) {
        DropFiles.Dropped dropped = null;
        SubmissionService.Accepted a;
        try {
            Optional<DropFiles.Dropped> read = source.read(folders.inbound(), name, admission.maxDocumentBytes(),
                    admission.maxPayloadBytes());
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
            if (replaced(folder, folders, name, dropped)) {
                return DropOutcome.SKIPPED;
            }
            file(folder, folders, name, reason(name, dropped == null ? null : dropped.content(), e, folder), ".reason.json",
                    REJECTED);
            LOG.warn("drop folder of {}: {} rejected ({})", folder.client().id(), name, e.errorCode().code());
            return DropOutcome.REJECTED;
        }
        if (replaced(folder, folders, name, dropped)) {
            return DropOutcome.SKIPPED;
        }
        file(folder, folders, name, receipt(name, dropped.content(), a, folder), ".receipt.json", PROCESSED);
        LOG.info("drop folder of {}: {} submitted as {}{}", folder.client().id(), name, a.messageId(),
                a.replayed() ? " (replayed)" : "");
        return a.replayed() ? DropOutcome.REPLAYED : DropOutcome.ACCEPTED;
    }

    /**
     * The agency put a new file under the same name while this one was being taken: leave it for
     * the next scan (its content is another message) rather than file it with this one's receipt.
     */
    private static boolean replaced(DropFolderConfig.Folder folder, InboundFolders folders, String name,
                                    DropFiles.Dropped dropped) {
        if (dropped == null || dropped.isStill(folders.inbound(), name)) {
            return false;
        }
        LOG.warn("drop folder of {}: {} was replaced or removed while being taken; a new file is taken at the next scan",
                folder.client().id(), name);
        return true;
    }

    /**
     * Refuses what the file consumer never lists: symbolic links to nothing (a directory listing
     * reports them, but they are neither a file nor a folder). Each gets the reason file of any
     * other link.
     */
    public int sweepDanglingLinks(DropFolderConfig.Folder folder) {
        Path inbound = folder.inbound().orElseThrow().toAbsolutePath().normalize();
        List<String> dangling = new ArrayList<>();
        try (FolderHandle in = FolderHandle.open(inbound)) {
            for (String name : in.names()) {
                if (!name.startsWith(".") && in.isDanglingLink(name)) {
                    dangling.add(name);
                }
            }
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "listing the inbound folder of " + folder.client().id());
        }
        for (String name : dangling) {
            take(folder, inbound.resolve(name));
        }
        return dangling.size();
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

    /** Writes the receipt or reason beside the file's new place, then moves the file there, all by descriptor. */
    private static void file(DropFolderConfig.Folder folder, InboundFolders folders, String name, byte[] note, String suffix,
                             String where) {
        FolderHandle into = folders.into(where);
        try {
            String filed = into.freeName(name, suffix);
            into.writeAtomically(filed + suffix, note, false);
            folders.inbound().moveInto(name, into, filed);
            if (folder.doneFiles()) {
                folders.inbound().deleteIfExists(name + ".done");
            }
        } catch (IOException e) {
            // The file stays in the inbound folder and is taken again at the next scan (idempotently).
            String reference = UUID.randomUUID().toString();
            LOG.error("drop folder of {}: {} cannot be filed into {}/ ({}); it stays and is taken again, reference {}",
                    folder.client().id(), name, where, DropFiles.reason(e), reference);
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, reference);
        }
    }

    /** What a receipt file says: which message a dropped file became. */
    public record ReceiptFile(String file, String sha256, String messageId, String status, String statusUrl, boolean replayed,
                              String at, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ErrorBody.ProblemBody> warnings) {
    }

    /** What a reason file says: why a dropped file was refused ({@code sha256} null for a file that was never read). */
    public record ReasonFile(String file, String sha256, String at, ErrorBody error) {
    }

    /** The receipt file, with the validation's warnings (e.g. a deprecated schema version) in the folder's language. */
    private byte[] receipt(String name, byte[] document, SubmissionService.Accepted a, DropFolderConfig.Folder folder) {
        List<ErrorBody.ProblemBody> warnings = a.warnings().stream().map(p -> ErrorBody.problem(p, folder.language()))
                .toList();
        return Json.write(new ReceiptFile(name, HexFormat.of().formatHex(Digests.sha256(document)), a.messageId().toString(),
                "ACCEPTED", "/api/v1/messages/" + a.messageId(), a.replayed(), clock.instant().toString(), warnings));
    }

    private byte[] reason(String name, byte[] document, PuenteException e, DropFolderConfig.Folder folder) {
        return Json.write(new ReasonFile(name, document == null ? null : HexFormat.of().formatHex(Digests.sha256(document)),
                clock.instant().toString(), ErrorBody.of(e, folder.language())));
    }
}
