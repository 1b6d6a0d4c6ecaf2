package org.puente.engine.drop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The file operations of the drop folders, each safe against what another process may do to a
 * folder it can write: nothing follows a symbolic link, a file is read with a bound however large
 * it claims or grows to be, and files the gateway writes appear whole (written aside, then renamed
 * in one step).
 */
public final class DropFiles {
    private DropFiles() {
    }

    /**
     * Reads a file the agency dropped, or refuses it: a symbolic link or anything but a regular
     * file ({@code unsafe_file}), more than {@code maxBytes} ({@code payload_too_large}, without
     * reading it), a read failure ({@code unreadable_file}). Empty when it is gone (taken by
     * another instance, or removed by the agency). The attributes read with it tell later whether
     * the file under that name is still the same one.
     */
    public static Optional<Dropped> read(Path file, long maxBytes, long maxPayloadBytes) {
        String name = file.getFileName().toString();
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.UNREADABLE_FILE, name, reason(e));
        }
        if (attrs.isSymbolicLink()) {
            throw new PuenteException(ErrorCode.UNSAFE_FILE, name, "it is a symbolic link; drop the file itself");
        }
        if (!attrs.isRegularFile()) {
            throw new PuenteException(ErrorCode.UNSAFE_FILE, name, "it is not a regular file");
        }
        if (attrs.size() > maxBytes) {
            throw new PuenteException(ErrorCode.PAYLOAD_TOO_LARGE, attrs.size(), maxPayloadBytes);
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            return Optional.of(new Dropped(readBounded(ch, maxBytes, maxPayloadBytes), attrs));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            if (Files.isSymbolicLink(file)) {
                throw new PuenteException(ErrorCode.UNSAFE_FILE, name, "it became a symbolic link while being read");
            }
            throw new PuenteException(ErrorCode.UNREADABLE_FILE, name, reason(e));
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.UNREADABLE_FILE, name, reason(e));
        }
    }

    /** A file's content with the attributes it had when read, to tell whether it was replaced since. */
    public record Dropped(byte[] content, BasicFileAttributes attributes) {

        /** Whether {@code file} is still the file that was read (same inode, size and modification time). */
        public boolean isStill(Path file) {
            try {
                BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return java.util.Objects.equals(now.fileKey(), attributes.fileKey()) && now.size() == attributes.size()
                        && now.lastModifiedTime().equals(attributes.lastModifiedTime());
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static byte[] readBounded(SeekableByteChannel ch, long maxBytes, long maxPayloadBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(ch.size(), maxBytes) + 1);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        int n;
        while ((n = ch.read(buf)) >= 0) {
            total += n;
            if (total > maxBytes) {
                throw new PuenteException(ErrorCode.PAYLOAD_TOO_LARGE, total, maxPayloadBytes);
            }
            out.write(buf.array(), 0, n);
            buf.clear();
        }
        return out.toByteArray();
    }

    /** Refuses a document that is not UTF-8 (files carry no charset; JSON exchanged between systems is UTF-8, RFC 8259). */
    public static void requireUtf8(byte[] document) {
        if (document.length >= 2 && ((document[0] == (byte) 0xFE && document[1] == (byte) 0xFF)
                || (document[0] == (byte) 0xFF && document[1] == (byte) 0xFE))) {
            throw new PuenteException(ErrorCode.INVALID_ENCODING, "it starts with a UTF-16 byte-order mark; save it as UTF-8");
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(document));
        } catch (CharacterCodingException e) {
            throw new PuenteException(ErrorCode.INVALID_ENCODING, "it holds bytes that are not UTF-8 (Latin-1 or "
                    + "Windows-1252 text must be converted to UTF-8)");
        }
    }

    /**
     * Writes a file so that readers see it whole or not at all: into a hidden temporary file in
     * the same folder, then renamed. With {@code durable}, file and folder are forced to the
     * device before this returns.
     */
    public static void writeAtomically(Path target, byte[] data, boolean durable) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (durable) {
                ch.force(true);
            }
        }
        move(tmp, target);
        if (durable) {
            forceFolder(target.getParent());
        }
    }

    /** Renames in one step (same file system); the link itself if {@code from} is a symbolic link. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code name} in {@code folder}, or {@code name.1}, {@code name.2}… if taken: nothing already there is overwritten. */
    public static Path freeName(Path folder, String name) {
        Path p = folder.resolve(name);
        for (int i = 1; Files.exists(p, LinkOption.NOFOLLOW_LINKS); i++) {
            p = folder.resolve(name + "." + i);
        }
        return p;
    }

    /** Makes a rename in {@code folder} durable (Linux: fsync on the directory). */
    static void forceFolder(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for syncing; the data itself was forced.
        }
    }

    /** Why a read failed, without the gateway's own path names. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        String m = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        return m.length() > 200 ? m.substring(0, 200) : m;
    }
}
