package org.puente.engine.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and validates the drop-folder keys (see a gateway's {@code application.properties},
 * section "Drop folders"). Kept beside {@link GatewayConfigLoader} rather than inside it so the
 * channel stays one switchable part. Relative folders live in the data directory; every folder is
 * kept as its real path (links above it resolved once, here). The first bad key stops the gateway
 * with one line naming it.
 */
public final class DropFolderConfigLoader {

    public DropFolderConfig load(Function<String, Optional<String>> source, GatewayConfig gateway) {
        Settings s = new Settings(source, gateway.dataDir());
        List<DropFolderConfig.Folder> folders = new ArrayList<>();
        Set<Path> used = new HashSet<>();
        Set<String> outboundAgencies = new HashSet<>();
        // the data directory with every link resolved (the name of a file in it, resolved like a folder)
        Path data = real("puente.data.dir", gateway.dataDir().resolve("puente.db")).getParent();
        for (ClientEntry c : gateway.clients()) {
            String prefix = "puente.client." + c.id() + ".drop.";
            Optional<Path> inbound = s.optional(prefix + "inbound").map(s::resolve).map(p -> real(prefix + "inbound", p));
            Optional<Path> outbound = s.optional(prefix + "outbound").map(s::resolve).map(p -> real(prefix + "outbound", p));
            if (inbound.isEmpty() && outbound.isEmpty()) {
                continue;
            }
            if (c.role() != ClientEntry.Role.AGENCY) {
                throw Settings.invalid(prefix + "inbound", "is only for clients with role agency");
            }
            inbound.ifPresent(p -> folder(prefix + "inbound", p, data, used));
            if (outbound.isPresent()) {
                folder(prefix + "outbound", outbound.get(), data, used);
                String agency = c.agency().orElseThrow();
                if (gateway.push().containsKey(agency)) {
                    throw Settings.invalid(prefix + "outbound", "cannot be combined with push delivery to " + agency
                            + " (puente.client.*.push-url): choose one");
                }
                if (!outboundAgencies.add(agency)) {
                    throw Settings.invalid(prefix + "outbound", "is a second outbound folder for " + agency);
                }
            }
            String language = s.text(prefix + "language", "en").toLowerCase(Locale.ROOT);
            if (!language.equals("en") && !language.equals("es")) {
                throw Settings.invalid(prefix + "language", "must be en or es, got '" + language + "'");
            }
            folders.add(new DropFolderConfig.Folder(c, inbound, outbound, s.bool(prefix + "done-files", false),
                    Locale.forLanguageTag(language)));
        }
        Duration poll = s.duration("puente.drop.poll-interval", Duration.ofSeconds(1));
        return new DropFolderConfig(poll, List.copyOf(folders));
    }

    /**
     * Distinct folders, never nested in one another, never holding the data directory (the agency
     * writes its folders; the gateway's database must not be in one), and never a symbolic link
     * (the gateway creates them).
     */
    private static void folder(String key, Path path, Path dataDir, Set<Path> used) {
        Path p = path.toAbsolutePath().normalize();
        for (Path other : used) {
            if (p.startsWith(other) || other.startsWith(p)) {
                throw Settings.invalid(key, "overlaps another drop folder: " + other);
            }
        }
        if (dataDir.startsWith(p)) {
            throw Settings.invalid(key, "holds the gateway's data directory " + dataDir + "; the agency can write it");
        }
        if (Files.isSymbolicLink(p)) {
            throw Settings.invalid(key, "is a symbolic link; name the real folder: " + p);
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw Settings.invalid(key, "names something that is not a folder: " + p);
        }
        used.add(p);
    }

    /**
     * The folder with the operator's symbolic links above it resolved, once, at start-up: the
     * gateway then opens it one component at a time and refuses a link anywhere on the way (an
     * agency that can rename a folder on it could otherwise redirect the gateway). The folder
     * itself, if it is a link, stays one (and is refused by {@link #folder}).
     */
    private static Path real(String key, Path path) {
        Path p = path.toAbsolutePath().normalize();
        Path existing = p.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(p)).normalize();
        } catch (IOException e) {
            throw Settings.invalid(key, "names a folder whose path cannot be resolved: " + p + " (" + e.getMessage() + ")");
        }
    }
}
