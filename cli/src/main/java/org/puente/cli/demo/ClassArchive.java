package org.puente.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;

/**
 * A class-data-sharing archive per gateway jar (the JDK's dynamic AppCDS): the first start of a
 * jar records the classes it loaded into an archive when it exits cleanly; later starts map that
 * archive instead of loading, verifying and linking the same classes again (measured: first log
 * line to ready 5.5 s -> 3.5 s, with the other gateway starting on the same two cores).
 *
 * <p>Implementation note: the archive sits next to the jar ({@code gateway-us.jar.jsa}) and is
 * used only while it is newer than the jar, so a rebuilt jar records a new one (the JVM would
 * refuse a mismatched archive anyway, and run without it). Each recording JVM writes its own
 * temporary file, moved into place atomically after a clean exit; a killed JVM's is deleted. The
 * JVM's own CDS messages are switched off: they would land, unformatted, in the gateway log.
 */
final class ClassArchive {
    private static final String QUIET = "-Xlog:cds*=off";

    private final Path archive;
    private final Path recording;

    private ClassArchive(Path archive, Path recording) {
        this.archive = archive;
        this.recording = recording;
    }

    /** The archive of {@code jar}: shared if a current one exists, else recorded by this start. */
    static ClassArchive forJar(Path jar) {
        Path archive = jar.resolveSibling(jar.getFileName() + ".jsa");
        try {
            if (Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
                return new ClassArchive(archive, null);
            }
        } catch (IOException e) {
            // unreadable times: record a new one
        }
        return new ClassArchive(archive, jar.resolveSibling(jar.getFileName() + "." + UUID.randomUUID() + ".jsa.tmp"));
    }

    List<String> jvmOptions() {
        return recording == null ? List.of("-XX:SharedArchiveFile=" + archive, QUIET)
                : List.of("-XX:ArchiveClassesAtExit=" + recording, QUIET);
    }

    /** After the JVM exited on its own: a recorded archive becomes the jar's. */
    void exitedCleanly() {
        if (recording == null) {
            return;
        }
        try {
            if (Files.isRegularFile(recording) && Files.size(recording) > 0) {
                Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            discard();
        }
    }

    /** After a kill: whatever was recorded is incomplete. */
    void discard() {
        if (recording != null) {
            try {
                Files.deleteIfExists(recording);
            } catch (IOException ignored) {
                // a stray temporary file in target/ is harmless
            }
        }
    }
}
