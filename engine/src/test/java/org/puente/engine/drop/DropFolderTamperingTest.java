package org.puente.engine.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.testing.StoreFixtures.ANAM;
import static org.puente.engine.testing.StoreFixtures.CBP;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.header;
import static org.puente.engine.testing.StoreFixtures.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.audit.store.Jdbc;
import org.puente.engine.admission.AdmissionControl;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.config.DropFolderConfig;
import org.puente.engine.inbound.InboundLedger;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.outbound.SubmissionService;
import org.puente.engine.testing.TestClock;
import org.puente.engine.testing.TestDatabase;
import org.puente.engine.testing.TestPayloads;
import org.puente.engine.work.Backoff;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkLine;
import org.puente.engine.work.WorkQueue;
import org.puente.engine.work.WorkRunner;
import org.puente.engine.work.WorkSettings;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * An agency that can write its drop folders tries to make the gateway write where it must not
 * (issue 13): through a symbolic link put in place of a folder the gateway files into, of a
 * folder on the way to it, or of a temporary name the gateway writes before its rename. The
 * victims are a file outside every drop folder that the gateway can write (its database) and
 * another agency's outbound folder. Each attack must leave the victim byte for byte as it was,
 * put nothing into the other agency's folder, submit nothing, and be refused with
 * {@code unsafe_file}; the normal flows around them still work, and do again once the folder is
 * restored.
 */
class DropFolderTamperingTest {
    static final String DATABASE = "SQLite format 3\0 the gateway's own database";
    static final byte[] DOCUMENT = "{\"messageType\":\"cargo.manifest\",\"note\":\"a valid submission\"}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    Path data;
    Path cbpIn;
    Path iceOut;
    Path anamOut;
    Path victim;
    DropFolderConfig.Folder cbp;
    /** What the stand-in submission pipeline accepted: idempotency key to message id. */
    final Map<String, UUID> submitted = new HashMap<>();

    @BeforeEach
    void folders() throws IOException {
        data = Files.createDirectories(dir.resolve("data"));
        cbpIn = dir.resolve("drop/cbp/in");
        iceOut = dir.resolve("drop/ice/out");
        anamOut = dir.resolve("drop/anam/out");
        victim = Files.writeString(data.resolve("puente.db"), DATABASE);
        cbp = new DropFolderConfig.Folder(client("cbp", "CBP"), Optional.of(cbpIn), Optional.empty(), false, Locale.ENGLISH);
        DropIntake.prepare(cbp);
        DropIntake.prepare(new DropFolderConfig.Folder(client("ice-hsi", "ICE-HSI"), Optional.empty(), Optional.of(iceOut),
                false, Locale.ENGLISH));
    }

    // --- the inbound folder: where receipts and reasons are filed ---

    @Test
    void a_processed_folder_replaced_by_a_link_to_a_planted_receipt_name_overwrites_nothing_and_submits_nothing()
            throws Exception {
        // as issue 13 tried it: mv processed p0; mkdir .x; ln -s $VICTIM .x/.a.json.receipt.json.tmp; ln -s .x processed
        Files.move(cbpIn.resolve("processed"), cbpIn.resolve("p0"));
        Files.createDirectory(cbpIn.resolve(".x"));
        Files.createSymbolicLink(cbpIn.resolve(".x/.a.json.receipt.json.tmp"), victim);
        Files.createSymbolicLink(cbpIn.resolve("processed"), Path.of(".x"));
        Path file = Files.write(cbpIn.resolve("a.json"), DOCUMENT);

        PuenteException refused = refusal(() -> intake().take(cbp, file));

        assertThat(Files.readString(victim)).as("the gateway's database").isEqualTo(DATABASE);
        assertThat(refused).extracting(PuenteException::errorCode).isEqualTo(ErrorCode.UNSAFE_FILE);
        assertThat(refused.getMessage()).contains("processed").contains("symbolic link");
        assertThat(submitted).as("nothing submitted while the folder is not the gateway's").isEmpty();
        assertThat(file).as("left where the agency put it").exists();
        assertThat(entries(cbpIn.resolve(".x"))).containsExactly(".a.json.receipt.json.tmp");

        // restored by the operator: the same file is taken as if nothing had happened
        Files.delete(cbpIn.resolve("processed"));
        Files.move(cbpIn.resolve("p0"), cbpIn.resolve("processed"));
        assertThat(intake().take(cbp, file)).isEqualTo(DropOutcome.ACCEPTED);
        assertThat(json(cbpIn.resolve("processed/a.json.receipt.json")).path("messageId").asText())
                .isEqualTo(submitted.values().iterator().next().toString());
        assertThat(Files.readString(victim)).isEqualTo(DATABASE);
    }

    @Test
    void a_rejected_folder_replaced_by_a_link_to_a_planted_temporary_file_overwrites_nothing() throws Exception {
        // mv rejected r0; mkdir .x; ln -s $VICTIM .x/.latin1.json.reason.json.tmp; ln -s .x rejected
        Files.move(cbpIn.resolve("rejected"), cbpIn.resolve("r0"));
        Files.createDirectory(cbpIn.resolve(".x"));
        Files.createSymbolicLink(cbpIn.resolve(".x/.latin1.json.reason.json.tmp"), victim);
        Files.createSymbolicLink(cbpIn.resolve("rejected"), Path.of(".x"));
        Path file = Files.write(cbpIn.resolve("latin1.json"), "{\"n\":\"café\"}".getBytes(StandardCharsets.ISO_8859_1));

        PuenteException refused = refusal(() -> intake().take(cbp, file));

        assertThat(Files.readString(victim)).as("the gateway's database").isEqualTo(DATABASE);
        assertThat(refused).extracting(PuenteException::errorCode).isEqualTo(ErrorCode.UNSAFE_FILE);
        assertThat(file).as("left where the agency put it").exists();
        assertThat(entries(cbpIn.resolve(".x"))).containsExactly(".latin1.json.reason.json.tmp");
    }

    @Test
    void a_rejected_folder_pointed_at_another_agencys_outbound_folder_puts_nothing_there() throws Exception {
        // a hand-made "message from Mexico" that the pipeline refuses, filed into rejected/ = ICE's outbound folder
        String forged = UUID.randomUUID() + ".json";
        Files.move(cbpIn.resolve("rejected"), cbpIn.resolve("r0"));
        Files.createSymbolicLink(cbpIn.resolve("rejected"), iceOut);
        Path file = Files.writeString(cbpIn.resolve(forged), "{\"refuse\":true,\"messageId\":\"" + forged
                + "\",\"header\":{\"sender\":{\"country\":\"MX\",\"agency\":\"ANAM\"}},\"payload\":{\"nota\":\"liberar\"}}");

        PuenteException refused = refusal(() -> intake().take(cbp, file));

        assertThat(entries(iceOut)).as("ICE's outbound folder").isEmpty();
        assertThat(refused).extracting(PuenteException::errorCode).isEqualTo(ErrorCode.UNSAFE_FILE);
        assertThat(file).exists();

        Files.delete(cbpIn.resolve("rejected"));
        Files.move(cbpIn.resolve("r0"), cbpIn.resolve("rejected"));
        assertThat(intake().take(cbp, file)).isEqualTo(DropOutcome.REJECTED);
        assertThat(json(cbpIn.resolve("rejected/" + forged + ".reason.json")).path("error").path("code").asText())
                .isEqualTo("unknown_field");
        assertThat(entries(iceOut)).isEmpty();
    }

    @Test
    void an_inbound_folder_replaced_by_a_link_to_the_data_directory_reads_and_moves_nothing() throws Exception {
        // an agency that can write the inbound folder's parent swaps the folder itself for a link
        Files.move(cbpIn, cbpIn.resolveSibling("in0"));
        Files.createSymbolicLink(cbpIn, data);
        Files.createDirectories(data.resolve("processed"));
        Files.createDirectories(data.resolve("rejected"));

        PuenteException refused = refusal(() -> intake().take(cbp, cbpIn.resolve("puente.db")));

        assertThat(refused).extracting(PuenteException::errorCode).isEqualTo(ErrorCode.UNSAFE_FILE);
        assertThat(refused.getMessage()).contains("symbolic link");
        assertThat(Files.readString(victim)).as("still in its place, unchanged").isEqualTo(DATABASE);
        assertThat(entries(data.resolve("rejected"))).isEmpty();
        assertThat(submitted).isEmpty();
    }

    @Test
    void a_symbolic_link_on_the_way_to_a_folder_is_refused_wherever_it_is() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real/sub"));
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("real"));

        PuenteException refused = refusal(() -> {
            try (FolderHandle h = FolderHandle.open(dir.resolve("link/sub"))) {
                h.names();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        assertThat(refused).extracting(PuenteException::errorCode).isEqualTo(ErrorCode.UNSAFE_FILE);
        assertThat(refused.getMessage()).contains(dir.resolve("link").toString()).contains("symbolic link");
        try (FolderHandle h = FolderHandle.open(real)) {
            assertThat(h.names()).isEmpty();
        }
    }

    @Test
    void a_processed_folder_replaced_by_a_real_folder_of_another_user_is_refused() throws Exception {
        Files.move(cbpIn.resolve("processed"), cbpIn.resolve("p0"));
        Path theirs = Files.createDirectory(cbpIn.resolve("processed"));
        try {
            Files.setAttribute(theirs, "unix:uid", 65534);
        } catch (FileSystemException e) {
            Assumptions.abort("giving a folder to another user needs root: " + e.getMessage());
        }
        Path file = Files.write(cbpIn.resolve("b.json"), DOCUMENT);

        PuenteException refused = refusal(() -> intake().take(cbp, file));

        assertThat(refused).extracting(PuenteException::errorCode).isEqualTo(ErrorCode.UNSAFE_FILE);
        assertThat(refused.getMessage()).contains("processed").contains("not to the gateway's user");
        assertThat(entries(theirs)).isEmpty();
        assertThat(submitted).isEmpty();
    }

    @Test
    void a_link_planted_at_the_receipt_temporary_name_in_the_gateways_own_folder_is_refused_not_followed()
            throws Exception {
        // processed/ is the gateway's, but writable by the agency's group (a deployment that lets it clean up)
        Files.createSymbolicLink(cbpIn.resolve("processed/.c.json.receipt.json.tmp"), victim);
        Path file = Files.write(cbpIn.resolve("c.json"), DOCUMENT);

        PuenteException refused = refusal(() -> intake().take(cbp, file));

        assertThat(Files.readString(victim)).as("the gateway's database").isEqualTo(DATABASE);
        assertThat(refused).extracting(PuenteException::errorCode).isEqualTo(ErrorCode.UNSAFE_FILE);
        assertThat(refused.getMessage()).contains("temporary file");
        assertThat(file).as("submitted, not filed: taken again at the next scan").exists();
        assertThat(submitted).hasSize(1);

        Files.delete(cbpIn.resolve("processed/.c.json.receipt.json.tmp"));
        assertThat(intake().take(cbp, file)).as("the same key answers the first message").isEqualTo(DropOutcome.REPLAYED);
        assertThat(json(cbpIn.resolve("processed/c.json.receipt.json")).path("replayed").asBoolean()).isTrue();
    }

    @Test
    void the_remains_of_an_interrupted_receipt_write_are_replaced() throws Exception {
        Files.writeString(cbpIn.resolve("processed/.d.json.receipt.json.tmp"), "{\"at\":\"half-writ");
        Path file = Files.write(cbpIn.resolve("d.json"), DOCUMENT);

        assertThat(intake().take(cbp, file)).isEqualTo(DropOutcome.ACCEPTED);

        assertThat(json(cbpIn.resolve("processed/d.json.receipt.json")).path("file").asText()).isEqualTo("d.json");
        assertThat(entries(cbpIn.resolve("processed"))).containsExactly("d.json", "d.json.receipt.json");
    }

    @Test
    void a_receipt_left_without_its_file_is_never_overwritten() throws Exception {
        Files.writeString(cbpIn.resolve("processed/e.json.receipt.json"), "the agency's copy of an earlier receipt");
        Path file = Files.write(cbpIn.resolve("e.json"), DOCUMENT);

        assertThat(intake().take(cbp, file)).isEqualTo(DropOutcome.ACCEPTED);

        assertThat(Files.readString(cbpIn.resolve("processed/e.json.receipt.json")))
                .isEqualTo("the agency's copy of an earlier receipt");
        assertThat(json(cbpIn.resolve("processed/e.json.1.receipt.json")).path("file").asText()).isEqualTo("e.json");
        assertThat(cbpIn.resolve("processed/e.json.1")).exists();
    }

    @Test
    void a_file_is_filed_with_its_receipt_and_its_done_file_removed() throws Exception {
        DropFolderConfig.Folder ice = new DropFolderConfig.Folder(client("ice-hsi", "ICE-HSI"),
                Optional.of(dir.resolve("drop/ice/in")), Optional.empty(), true, Locale.ENGLISH);
        DropIntake.prepare(ice);
        Path file = Files.write(dir.resolve("drop/ice/in/f.json"), DOCUMENT);
        Files.write(dir.resolve("drop/ice/in/f.json.done"), new byte[0]);

        assertThat(intake().take(ice, file)).isEqualTo(DropOutcome.ACCEPTED);

        assertThat(entries(dir.resolve("drop/ice/in"))).containsExactly("processed", "rejected");
        assertThat(entries(dir.resolve("drop/ice/in/processed"))).containsExactly("f.json", "f.json.receipt.json");
        assertThat(Files.readAllBytes(dir.resolve("drop/ice/in/processed/f.json"))).isEqualTo(DOCUMENT);
    }

    @Test
    void a_gateway_folder_that_is_a_link_at_start_up_is_refused() throws Exception {
        Files.move(cbpIn.resolve("rejected"), cbpIn.resolve("r0"));
        Files.createSymbolicLink(cbpIn.resolve("rejected"), iceOut);

        PuenteException refused = refusal(() -> {
            try {
                DropIntake.prepare(cbp);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        assertThat(refused).extracting(PuenteException::errorCode).isEqualTo(ErrorCode.UNSAFE_FILE);
        assertThat(refused.getMessage()).contains("rejected");
    }

    // --- the outbound writer ---

    @Test
    void a_link_planted_at_the_outbound_temporary_name_overwrites_nothing() throws Exception {
        try (Anam anam = new Anam()) {
            EnvelopeHeader h = anam.received();
            Path planted = Files.createSymbolicLink(anamOut.resolve("." + h.messageId() + ".json.tmp"), victim);

            anam.writeFiles();

            assertThat(Files.readString(victim)).as("the gateway's database").isEqualTo(DATABASE);
            assertThat(anamOut.resolve(h.messageId() + ".json")).doesNotExist();
            assertThat(anam.lastError(h.messageId())).isEqualTo("unsafe_file");
            assertThat(anam.handedOver(h.messageId())).isZero();

            Files.delete(planted);
            anam.writeFiles();
            assertThat(json(anamOut.resolve(h.messageId() + ".json")).path("messageId").asText())
                    .isEqualTo(h.messageId().toString());
            assertThat(anam.handedOver(h.messageId())).isOne();
        }
    }

    @Test
    void an_outbound_folder_replaced_by_a_link_to_another_agencys_folder_puts_nothing_there() throws Exception {
        try (Anam anam = new Anam()) {
            EnvelopeHeader h = anam.received();
            Files.move(anamOut, anamOut.resolveSibling("out0"));
            Files.createSymbolicLink(anamOut, iceOut);

            anam.writeFiles();

            assertThat(entries(iceOut)).as("ICE's outbound folder").isEmpty();
            assertThat(anam.lastError(h.messageId())).isEqualTo("unsafe_file");
            assertThat(anam.handedOver(h.messageId())).isZero();

            Files.delete(anamOut);
            Files.move(anamOut.resolveSibling("out0"), anamOut);
            anam.writeFiles();
            assertThat(anamOut.resolve(h.messageId() + ".json")).exists();
            assertThat(anam.handedOver(h.messageId())).isOne();
        }
    }

    @Test
    void a_link_planted_at_the_outbound_file_name_is_replaced_not_followed() throws Exception {
        try (Anam anam = new Anam()) {
            EnvelopeHeader h = anam.received();
            Files.createSymbolicLink(anamOut.resolve(h.messageId() + ".json"), victim);

            anam.writeFiles();

            assertThat(Files.readString(victim)).isEqualTo(DATABASE);
            Path file = anamOut.resolve(h.messageId() + ".json");
            assertThat(Files.isSymbolicLink(file)).isFalse();
            assertThat(json(file).path("messageId").asText()).isEqualTo(h.messageId().toString());
        }
    }

    @Test
    void the_remains_of_an_interrupted_outbound_write_are_replaced_and_the_message_delivered() throws Exception {
        try (Anam anam = new Anam()) {
            EnvelopeHeader h = anam.received();
            Files.writeString(anamOut.resolve("." + h.messageId() + ".json.tmp"), "{\"messageId\":\"half-writ");

            anam.writeFiles();

            assertThat(entries(anamOut)).containsExactly(h.messageId() + ".json");
            assertThat(json(anamOut.resolve(h.messageId() + ".json")).path("messageId").asText())
                    .isEqualTo(h.messageId().toString());
        }
    }

    @Test
    void files_missing_from_an_outbound_folder_replaced_by_a_link_acknowledge_nothing() throws Exception {
        try (Anam anam = new Anam()) {
            EnvelopeHeader h = anam.received();
            anam.writeFiles();
            assertThat(anamOut.resolve(h.messageId() + ".json")).exists();
            Files.move(anamOut, anamOut.resolveSibling("out0"));
            Files.createSymbolicLink(anamOut, iceOut);

            PuenteException refused = refusal(anam.acknowledgements::scan);

            assertThat(refused).extracting(PuenteException::errorCode).isEqualTo(ErrorCode.UNSAFE_FILE);
            assertThat(anam.state(h.messageId())).as("not acknowledged").isEqualTo(InboxStore.STORED);

            Files.delete(anamOut);
            Files.move(anamOut.resolveSibling("out0"), anamOut);
            assertThat(anam.acknowledgements.scan()).isZero();
            Files.delete(anamOut.resolve(h.messageId() + ".json"));
            assertThat(anam.acknowledgements.scan()).as("taken by the agency: acknowledged").isOne();
        }
    }

    // --- helpers ---

    /** The Mexican gateway's side of ANAM's outbound folder: an inbox, the ledger, the file writer and the scan. */
    final class Anam implements AutoCloseable {
        final TestDatabase db = new TestDatabase(TestDatabase.Kind.SQLITE);
        final TestClock clock = new TestClock(T0);
        final InboxStore inbox = TestPayloads.inbox();
        final InboundLedger ledger;
        final WorkRunner runner;
        final DropAcknowledgements acknowledgements;

        Anam() throws IOException {
            AuditLog audit = new AuditLog(Country.MX, db.database().dialect());
            db.tx().addParticipant(audit);
            WorkQueue queue = new WorkQueue(db.database().dialect());
            ledger = new InboundLedger(inbox, queue, audit, InboundLedger.handOvers(List.of(), List.of("ANAM")),
                    "gateway.mx.puente.sample", "gateway.us.puente.sample");
            DropFolderConfig.Folder folder = new DropFolderConfig.Folder(client("anam", "ANAM"), Optional.empty(),
                    Optional.of(anamOut), false, Locale.forLanguageTag("es"));
            DropIntake.prepare(folder);
            runner = new WorkRunner(db.tx(), queue, "mx-1", clock).register(new DropFileWorker(Map.of("ANAM", folder), db.tx(),
                    inbox, ledger, clock, ExchangeObserver.NONE), new WorkSettings(10, 1, 1_000_000, Duration.ofSeconds(30),
                    new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1))));
            acknowledgements = new DropAcknowledgements(List.of(folder), db.tx(), inbox, ledger, clock, () -> { },
                    ExchangeObserver.NONE);
        }

        /** A message from CBP, stored for ANAM: a DROP_FILE job waits. */
        EnvelopeHeader received() {
            EnvelopeHeader h = header(UUID.randomUUID(), CBP, ANAM, Priority.NORMAL, T0);
            db.tx().write(c -> ledger.stored(c, inbound(h, "receipt of " + h.messageId()), T0));
            return h;
        }

        /** Runs the file jobs that are due, after any backoff of an earlier attempt has passed. */
        void writeFiles() {
            clock.advance(Duration.ofSeconds(2));
            for (WorkRunner.Batch b : runner.claim(WorkLine.shared(WorkKind.DROP_FILE))) {
                runner.run(b);
            }
        }

        /** The error code the file job last failed with (null: none, or the job is done). */
        String lastError(UUID id) {
            return db.tx().read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT last_error_code FROM work WHERE kind = ? AND ref = ?")) {
                    Jdbc.bind(ps, WorkKind.DROP_FILE, id.toString());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                }
            });
        }

        long handedOver(UUID id) {
            return db.tx().read(c -> org.puente.engine.testing.StoreFixtures.count(c,
                    "SELECT COUNT(*) FROM inbox WHERE message_id = ? AND delivered_via = 'DROP'", id.toString()));
        }

        String state(UUID id) {
            return db.tx().read(c -> inbox.find(c, id)).orElseThrow().state();
        }

        @Override
        public void close() {
            db.close();
        }
    }

    static ClientEntry client(String id, String agency) {
        return new ClientEntry(id, ClientEntry.Role.AGENCY, Optional.of(agency),
                Optional.of(new X500Principal("CN=" + agency + " agency system")), Optional.empty());
    }

    /**
     * An intake over a stand-in for the submission pipeline: it accepts any document once per
     * idempotency key (and replays it after), and refuses one holding {@code "refuse"} as an
     * unknown field.
     */
    private DropIntake intake() {
        return new DropIntake((caller, document, key) -> {
            if (new String(document, StandardCharsets.UTF_8).contains("\"refuse\"")) {
                throw new PuenteException(ErrorCode.UNKNOWN_FIELD, "refuse");
            }
            UUID first = submitted.get(key);
            if (first != null) {
                return new SubmissionService.Accepted(first, true);
            }
            UUID id = UUID.randomUUID();
            submitted.put(key, id);
            return new SubmissionService.Accepted(id, false);
        }, new AdmissionControl(65536, 10, 1024 * 1024), Country.US, Clock.systemUTC(), DropFiles::read);
    }

    /** The refusal {@code r} ends with; null if it was not refused. */
    static PuenteException refusal(Runnable r) {
        try {
            r.run();
            return null;
        } catch (PuenteException e) {
            return e;
        }
    }

    static List<String> entries(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static JsonNode json(Path file) throws IOException {
        return CanonicalJson.mapper().readTree(Files.readAllBytes(file));
    }
}
