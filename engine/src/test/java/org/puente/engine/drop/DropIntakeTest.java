package org.puente.engine.drop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.engine.admission.AdmissionControl;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.config.DropFolderConfig;
import org.puente.engine.store.Digests;

/**
 * The intake's refusals that happen before the submission pipeline, without a gateway: files it
 * cannot read (the tests run as root, who reads any file whatever its permissions, so the read
 * failure is injected) and paths that are not directly in the agency's folder.
 */
class DropIntakeTest {
    @TempDir
    Path dir;
    DropFolderConfig.Folder folder;

    @BeforeEach
    void folder() throws IOException {
        ClientEntry cbp = new ClientEntry("cbp", ClientEntry.Role.AGENCY, Optional.of("CBP"),
                Optional.of(new X500Principal("CN=CBP agency system")), Optional.empty());
        folder = new DropFolderConfig.Folder(cbp, Optional.of(dir.resolve("in")), Optional.empty(), false, Locale.ENGLISH);
        DropIntake.prepare(folder);
    }

    @Test
    void a_file_that_cannot_be_read_is_rejected_with_unreadable_file() throws Exception {
        Path file = dir.resolve("in/locked.json");
        Files.writeString(file, "{}");
        DropIntake intake = intake((in, name, max, payload) -> {
            throw new PuenteException(ErrorCode.UNREADABLE_FILE, name,
                    DropFiles.reason(new AccessDeniedException(in.path().resolve(name).toString())));
        });
        assertThat(intake.take(folder, file)).isEqualTo(DropOutcome.REJECTED);
        JsonNode reason = CanonicalJson.mapper().readTree(Files.readAllBytes(dir.resolve("in/rejected/locked.json.reason.json")));
        assertThat(reason.path("error").path("code").asText()).isEqualTo("unreadable_file");
        assertThat(reason.path("error").path("message").asText())
                .isEqualTo("The file \"locked.json\" cannot be read: permission denied.")
                .doesNotContain(dir.toString());
        assertThat(dir.resolve("in/rejected/locked.json")).exists();
        assertThat(reason.has("sha256")).as("the documented key is always there").isTrue();
        assertThat(reason.get("sha256").isNull()).as("a file never read has no digest").isTrue();
    }

    @Test
    void a_file_refused_after_it_was_read_names_its_sha256_in_the_reason_file() throws Exception {
        Path file = dir.resolve("in/latin1.json");
        byte[] content = "{\"n\":\"café\"}".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, content);
        DropIntake intake = intake(DropFiles::read);

        DropOutcome outcome = intake.take(folder, file);

        assertThat(outcome).isEqualTo(DropOutcome.REJECTED);
        JsonNode reason = CanonicalJson.mapper().readTree(Files.readAllBytes(dir.resolve("in/rejected/latin1.json.reason.json")));
        assertThat(reason.path("error").path("code").asText()).isEqualTo("invalid_encoding");
        assertThat(reason.path("file").asText()).isEqualTo("latin1.json");
        assertThat(reason.path("sha256").asText()).isEqualTo(HexFormat.of().formatHex(Digests.sha256(content)));
    }

    @Test
    void the_real_reader_refuses_a_directory_and_reports_a_vanished_file_as_gone() throws Exception {
        Files.createDirectory(dir.resolve("in/folder.json"));
        assertThat(code(() -> DropFiles.read(dir.resolve("in/folder.json"), 1024, 1024))).isEqualTo(ErrorCode.UNSAFE_FILE);
        assertThat(DropFiles.read(dir.resolve("in/never-there.json"), 1024, 1024)).isEmpty();
    }

    @Test
    void a_path_outside_the_inbound_folder_is_never_touched() throws Exception {
        Path outside = dir.resolve("outside.json");
        Files.writeString(outside, "{}");
        DropIntake intake = intake(DropFiles::read);
        assertThat(intake.take(folder, dir.resolve("in/../outside.json"))).isEqualTo(DropOutcome.SKIPPED);
        assertThat(intake.take(folder, dir.resolve("in/rejected/../../outside.json"))).isEqualTo(DropOutcome.SKIPPED);
        assertThat(outside).exists();
        assertThat(Files.list(dir.resolve("in/rejected"))).isEmpty();
    }

    @Test
    void a_file_replaced_under_the_same_name_while_being_taken_is_left_for_the_next_scan() throws Exception {
        Path file = dir.resolve("in/reused-name.json");
        Files.write(file, new byte[] {'{', (byte) 0xE9, '}'});
        DropIntake intake = intake((in, name, max, payload) -> {
            Optional<DropFiles.Dropped> first = DropFiles.read(in, name, max, payload);
            try {
                Path tmp = file.resolveSibling("reused-name.json.tmp");
                Files.writeString(tmp, "{\"the agency's next document\":true}");
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return first;
        });
        assertThat(intake.take(folder, file)).isEqualTo(DropOutcome.SKIPPED);
        assertThat(Files.readString(file)).contains("next document");
        assertThat(Files.list(dir.resolve("in/rejected"))).isEmpty();
    }

    @Test
    void the_idempotency_key_depends_on_name_and_content_and_fits_the_key_pattern() {
        byte[] a = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] b = "{\"a\":2}".getBytes(StandardCharsets.UTF_8);
        String key = DropIntake.idempotencyKey("x.json", a);
        assertThat(key).matches("[A-Za-z0-9._:-]{1,128}");
        assertThat(DropIntake.idempotencyKey("x.json", a)).isEqualTo(key);
        assertThat(DropIntake.idempotencyKey("y.json", a)).isNotEqualTo(key);
        assertThat(DropIntake.idempotencyKey("x.json", b)).isNotEqualTo(key);
    }

    @Test
    void utf8_with_or_without_a_byte_order_mark_passes_and_other_encodings_do_not() {
        DropFiles.requireUtf8("{\"n\":\"café\"}".getBytes(StandardCharsets.UTF_8));
        DropFiles.requireUtf8(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});
        assertThat(code(() -> DropFiles.requireUtf8("{\"n\":\"café\"}".getBytes(StandardCharsets.ISO_8859_1))))
                .isEqualTo(ErrorCode.INVALID_ENCODING);
        assertThat(code(() -> DropFiles.requireUtf8("{}".getBytes(StandardCharsets.UTF_16))))
                .isEqualTo(ErrorCode.INVALID_ENCODING);
    }

    private DropIntake intake(DropIntake.FileSource source) {
        return new DropIntake((caller, document, key) -> {
            throw new AssertionError("nothing here reaches the submission");
        }, new AdmissionControl(65536, 10, 1024 * 1024), Country.US, Clock.systemUTC(), source);
    }

    private static ErrorCode code(Runnable r) {
        try {
            r.run();
            return null;
        } catch (PuenteException e) {
            return e.errorCode();
        }
    }
}
