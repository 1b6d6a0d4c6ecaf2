package org.puente.model.catalogue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the schema files named by a catalogue are read from: the class path (the built-in
 * catalogue, test catalogues) or a directory (a catalogue file kept next to its schemas).
 */
@FunctionalInterface
public interface SchemaSource {

    /** The bytes of the resource named {@code relativePath} in the catalogue, or empty when it does not exist. */
    Optional<byte[]> read(String relativePath);

    /** Resources under {@code base} on this library's class path, e.g. {@code org/puente/model/}. */
    static SchemaSource classpath(String base) {
        String prefix = base.endsWith("/") ? base : base + "/";
        return relativePath -> {
            if (relativePath.contains("..")) {
                return Optional.empty();
            }
            try (InputStream in = SchemaSource.class.getClassLoader().getResourceAsStream(prefix + relativePath)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** Files under {@code directory}; a path escaping the directory is treated as missing. */
    static SchemaSource directory(Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        return relativePath -> {
            Path file = root.resolve(relativePath).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try {
                return Optional.of(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
