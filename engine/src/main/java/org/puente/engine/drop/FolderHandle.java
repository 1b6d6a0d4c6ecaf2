package org.puente.engine.drop;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * One drop folder, held open by its directory descriptor, so that every name the gateway uses in
 * it is looked up in that very folder and never through a symbolic link: an agency that can write
 * the folder cannot redirect a read, a write or a rename of the gateway elsewhere.
 *
 * <p>Implementation note (why descriptors): a path such as {@code inbound/processed/x.receipt.json}
 * is resolved anew at every system call, and any folder on it that the agency can rename may have
 * become a symbolic link since the last check (issue 13: a planted {@code processed} link made the
 * gateway overwrite its own database with a receipt). Here a folder is opened one component at a
 * time from the file-system root with {@code O_NOFOLLOW} ({@link SecureDirectoryStream}, openat(2)
 * on Linux), and every later operation is relative to the descriptor: files are created with
 * {@code O_CREAT|O_EXCL|O_NOFOLLOW} (never truncated: a name the agency planted is refused or
 * removed, never written through), renamed with renameat(2) (which replaces a link, never follows
 * it), and examined with fstatat(2) without following links. The folders the gateway files into
 * ({@code processed/}, {@code rejected/}) must in addition be owned by the gateway's own user,
 * checked on the open descriptor. Every refusal is {@code unsafe_file}.
 */
final class FolderHandle implements Closeable {
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private final SecureDirectoryStream<Path> dir;
    private final Path path;

    private FolderHandle(SecureDirectoryStream<Path> dir, Path path) {
        this.dir = dir;
        this.path = path;
    }

    /**
     * Opens {@code folder} (absolute; the start-up configuration resolves operator links once)
     * component by component from the root, refusing a symbolic link or a non-folder anywhere on
     * its path ({@code unsafe_file}).
     */
    static FolderHandle open(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath().normalize();
        SecureDirectoryStream<Path> current = root(absolute.getRoot());
        Path reached = absolute.getRoot();
        try {
            for (Path component : absolute) {
                reached = reached.resolve(component);
                SecureDirectoryStream<Path> next = child(current, component, reached);
                current.close();
                current = next;
            }
        } catch (IOException | RuntimeException e) {
            current.close();
            throw e;
        }
        return new FolderHandle(current, absolute);
    }

    private static SecureDirectoryStream<Path> root(Path root) throws IOException {
        DirectoryStream<Path> ds = Files.newDirectoryStream(root);
        if (ds instanceof SecureDirectoryStream<Path> sds) {
            return sds;
        }
        ds.close();
        throw new PuenteException(ErrorCode.INTERNAL_ERROR, "this platform cannot open folders by descriptor"
                + " (java.nio.file.SecureDirectoryStream); drop folders need Linux");
    }

    private static SecureDirectoryStream<Path> child(SecureDirectoryStream<Path> parent, Path name, Path full)
            throws IOException {
        // examined first, so that a FIFO put in a folder's place is refused rather than opened (which would block)
        BasicFileAttributes a = attributes(parent, name)
                .orElseThrow(() -> unsafe(full, "it is missing (the gateway creates it at start-up; was it moved?)"));
        if (a.isSymbolicLink()) {
            throw unsafe(full, "it is a symbolic link where a real folder must be");
        }
        if (!a.isDirectory()) {
            throw unsafe(full, "it is not a folder");
        }
        try {
            return parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw unsafe(full, "it is missing (the gateway creates it at start-up; was it moved?)");
        } catch (NotDirectoryException e) {
            throw unsafe(full, "it is not a folder");
        } catch (FileSystemException e) {
            // replaced since it was examined: O_NOFOLLOW on a link fails with ELOOP; say which it was
            Optional<BasicFileAttributes> now = attributes(parent, name);
            if (now.isPresent() && now.get().isSymbolicLink()) {
                throw unsafe(full, "it is a symbolic link where a real folder must be");
            }
            throw e;
        }
    }

    /**
     * The folder {@code name} inside this one, which only the gateway writes into: a real folder,
     * not a link, owned by the user the gateway runs as (checked on the open descriptor).
     */
    FolderHandle gatewayFolder(String name) throws IOException {
        Path full = path.resolve(checked(name));
        SecureDirectoryStream<Path> sub = child(dir, Path.of(name), full);
        try {
            UserPrincipal owner = sub.getFileAttributeView(PosixFileAttributeView.class).readAttributes().owner();
            if (!owner.equals(GatewayUser.get())) {
                throw unsafe(full, "it belongs to " + owner.getName() + ", not to the gateway's user " + GatewayUser.get().getName());
            }
        } catch (IOException | RuntimeException e) {
            sub.close();
            throw e;
        }
        return new FolderHandle(sub, full);
    }

    /** The folder's path (for log lines; never used to reach anything). */
    Path path() {
        return path;
    }

    /** What {@code name} is, without following a link; empty if nothing has that name. */
    Optional<BasicFileAttributes> attributes(String name) throws IOException {
        return attributes(dir, Path.of(checked(name)));
    }

    private static Optional<BasicFileAttributes> attributes(SecureDirectoryStream<Path> in, Path name) throws IOException {
        try {
            return Optional.of(in.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code name} is a symbolic link whose target does not exist (a link followed only to be examined). */
    boolean isDanglingLink(String name) throws IOException {
        Optional<BasicFileAttributes> a = attributes(name);
        if (a.isEmpty() || !a.get().isSymbolicLink()) {
            return false;
        }
        try {
            dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class).readAttributes();
            return false;
        } catch (NoSuchFileException e) {
            return true;
        } catch (FileSystemException e) {
            return false;
        }
    }

    boolean contains(String name) throws IOException {
        return attributes(name).isPresent();
    }

    /** Opens {@code name} for reading; fails if it is a symbolic link (ELOOP), whatever it was a moment before. */
    SeekableByteChannel openForReading(String name) throws IOException {
        return dir.newByteChannel(Path.of(checked(name)), READ);
    }

    /**
     * Writes {@code name} so that readers see it whole or not at all: into the hidden temporary
     * file {@code .<name>.tmp}, created new (never opened if something is there), then renamed
     * over {@code name} in this folder. A regular file left under the temporary name (a crash
     * mid-write) is removed first; anything else there (a link, a folder) is refused
     * ({@code unsafe_file}) and left for the operator. With {@code durable}, file and folder are
     * forced to the device before this returns.
     */
    void writeAtomically(String name, byte[] data, boolean durable) throws IOException {
        String tmp = "." + checked(name) + ".tmp";
        try (SeekableByteChannel ch = createNew(tmp)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (durable && ch instanceof FileChannel fc) {
                fc.force(true);
            }
        }
        moveInto(tmp, this, name);
        if (durable) {
            force();
        }
    }

    private SeekableByteChannel createNew(String name) throws IOException {
        try {
            return dir.newByteChannel(Path.of(name), CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            BasicFileAttributes a = attributes(name).orElse(null);
            if (a != null && !a.isRegularFile()) {
                throw unsafe(path.resolve(name), (a.isSymbolicLink() ? "a symbolic link" : "something that is not a file")
                        + " was planted under the name of the gateway's temporary file");
            }
            // the remains of an interrupted write (or a hard link): removing a name never touches another file
            deleteIfExists(name);
            return dir.newByteChannel(Path.of(name), CREATE_NEW);
        }
    }

    /** Renames {@code name} (the link itself, if it is one) to {@code targetName} in {@code target}, in one step. */
    void moveInto(String name, FolderHandle target, String targetName) throws IOException {
        dir.move(Path.of(checked(name)), target.dir, Path.of(checked(targetName)));
    }

    boolean deleteIfExists(String name) throws IOException {
        try {
            dir.deleteFile(Path.of(checked(name)));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * {@code name} if neither it nor {@code name + companion} exists here, else {@code name.1},
     * {@code name.2}…: nothing already there is overwritten.
     */
    String freeName(String name, String companion) throws IOException {
        String candidate = checked(name);
        for (int i = 1; contains(candidate) || contains(candidate + companion); i++) {
            candidate = name + "." + i;
        }
        return candidate;
    }

    /** The names in this folder (one listing per handle). */
    List<String> names() {
        List<String> names = new ArrayList<>();
        for (Path p : dir) {
            names.add(p.getFileName().toString());
        }
        return names;
    }

    /** Makes renames in this folder durable (fsync on the folder's descriptor). */
    void force() {
        try (SeekableByteChannel ch = dir.newByteChannel(Path.of("."), Set.of(StandardOpenOption.READ))) {
            if (ch instanceof FileChannel fc) {
                fc.force(true);
            }
        } catch (IOException e) {
            // Some file systems cannot sync a folder; the data itself was forced.
        }
    }

    @Override
    public void close() {
        try {
            dir.close();
        } catch (IOException e) {
            // closing a directory descriptor: nothing to recover
        }
    }

    /** A single name in this folder: no separator, not {@code .} or {@code ..}. */
    private static String checked(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        return name;
    }

    static PuenteException unsafe(Path what, String why) {
        return new PuenteException(ErrorCode.UNSAFE_FILE, what, why);
    }

    /**
     * The user the gateway process runs as: on Linux the owner of {@code /proc/self} (the
     * process's effective user), elsewhere the owner of a file it creates.
     */
    static final class GatewayUser {
        private static volatile UserPrincipal user;

        private GatewayUser() {
        }

        static UserPrincipal get() throws IOException {
            UserPrincipal u = user;
            if (u == null) {
                u = probe();
                user = u;
            }
            return u;
        }

        private static UserPrincipal probe() throws IOException {
            Path self = Path.of("/proc/self");
            if (Files.isDirectory(self)) {
                return Files.getOwner(self);
            }
            Path file = Files.createTempFile("puente-owner-", ".probe");
            try {
                return Files.getOwner(file, LinkOption.NOFOLLOW_LINKS);
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
