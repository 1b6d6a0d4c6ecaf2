package org.puente.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassArchiveTest {
    @TempDir
    Path dir;

    @Test
    void the_first_start_records_a_clean_exit_publishes_and_later_starts_share_until_the_jar_changes() throws Exception {
        Path jar = Files.write(dir.resolve("gateway-us.jar"), new byte[] {1});
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-01T00:00:00Z")));

        ClassArchive first = ClassArchive.forJar(jar);
        String record = first.jvmOptions().get(0);
        assertThat(record).startsWith("-XX:ArchiveClassesAtExit=").endsWith(".jsa.tmp");
        Files.write(Path.of(record.substring(record.indexOf('=') + 1)), new byte[] {42}); // what the JVM writes at exit
        first.exitedCleanly();

        Path archive = dir.resolve("gateway-us.jar.jsa");
        assertThat(archive).exists();
        assertThat(ClassArchive.forJar(jar).jvmOptions()).containsExactly("-XX:SharedArchiveFile=" + archive,
                "-Xlog:cds*=off");

        Files.setLastModifiedTime(jar, FileTime.from(Files.getLastModifiedTime(archive).toInstant().plusSeconds(60)));
        assertThat(ClassArchive.forJar(jar).jvmOptions().get(0)).as("a rebuilt jar records anew")
                .startsWith("-XX:ArchiveClassesAtExit=");
    }

    @Test
    void what_a_killed_jvm_recorded_is_deleted_and_never_published() throws Exception {
        Path jar = Files.write(dir.resolve("gateway-mx.jar"), new byte[] {1});
        ClassArchive killed = ClassArchive.forJar(jar);
        String record = killed.jvmOptions().get(0);
        Path partial = Files.write(Path.of(record.substring(record.indexOf('=') + 1)), new byte[] {1, 2});

        killed.discard();

        assertThat(partial).doesNotExist();
        assertThat(dir.resolve("gateway-mx.jar.jsa")).doesNotExist();
    }
}
