package org.puente.engine.drop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The file operations of the drop folders, each safe against what another process may do to a
 * folder it can write: nothing follows a symbolic link (every name is used relative to a folder
 * held open by its descriptor, {@link FolderHandle}), a file is read with a bound however large
 * it claims or grows to be, and files the gateway writes appear whole (written aside, created
 * new, then renamed in one step).
 */
public final class DropFiles {
    private DropFiles() {
    }

    /** {@link #read(FolderHandle, String, long, long)} of a file by its path (its folder opened for the one read). */
    public static Optional<Dropped> read(Path file, long maxBytes, long maxPayloadBytes) {
        Path absolute = file.toAbsolutePath().normalize();
        try (FolderHandle folder = FolderHandle.open(absolute.getParent())) {
            return read(folder, absolute.getFileName().toString(), maxBytes, maxPayloadBytes);
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.UNREADABLE_FILE, absolute.getFileName(), reason(e));
        }
    }

    /**
     * Reads a file the agency dropped, or refuses it: a symbolic link or anything but a regular
     * file ({@code unsafe_file}), more than {@code maxBytes} ({@code payload_too_large}, without
     * reading it), a read failure ({@code unreadable_file}). Empty when it is gone (taken by
     * another instance, or removed by the agency). The attributes read with it tell later whether
     * the file under that name is still the same one.
     */
    static Optional<Dropped> read(FolderHandle folder, String name, long maxBytes, long maxPayloadBytes) {
        BasicFileAttributes attrs;
        try {
            Optional<BasicFileAttributes> a = folder.attributes(name);
            if (a.isEmpty()) {
                return Optional.empty();
            }
            attrs = a.get();
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
        try (SeekableByteChannel ch = folder.openForReading(name)) {
            return Optional.of(new Dropped(readBounded(ch, maxBytes, maxPayloadBytes), attrs));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            if (isLink(folder, name)) {
                throw new PuenteException(ErrorCode.UNSAFE_FILE, name, "it became a symbolic link while being read");
            }
            throw new PuenteException(ErrorCode.UNREADABLE_FILE, name, reason(e));
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.UNREADABLE_FILE, name, reason(e));
        }
    }

    private static boolean isLink(FolderHandle folder, String name) {
        try {
            return folder.attributes(name).map(BasicFileAttributes::isSymbolicLink).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** A file's content with the attributes it had when read, to tell whether it was replaced since. */
    public record Dropped(byte[] content, BasicFileAttributes attributes) {

        /** Whether {@code name} in {@code folder} is still the file that was read (same inode, size and modification time). */
        boolean isStill(FolderHandle folder, String name) {
            try {
                BasicFileAttributes now = folder.attributes(name).orElse(null);
                return now != null && Objects.equals(now.fileKey(), attributes.fileKey()) && now.size() == attributes.size()
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
