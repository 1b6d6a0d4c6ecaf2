package org.puente.engine.config;

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
 * channel stays one switchable part. Relative folders live in the data directory. The first bad
 * key stops the gateway with one line naming it.
 */
public final class DropFolderConfigLoader {

    public DropFolderConfig load(Function<String, Optional<String>> source, GatewayConfig gateway) {
        Settings s = new Settings(source, gateway.dataDir());
        List<DropFolderConfig.Folder> folders = new ArrayList<>();
        Set<Path> used = new HashSet<>();
        Set<String> outboundAgencies = new HashSet<>();
        for (ClientEntry c : gateway.clients()) {
            String prefix = "puente.client." + c.id() + ".drop.";
            Optional<Path> inbound = s.optional(prefix + "inbound").map(s::resolve);
            Optional<Path> outbound = s.optional(prefix + "outbound").map(s::resolve);
            if (inbound.isEmpty() && outbound.isEmpty()) {
                continue;
            }
            if (c.role() != ClientEntry.Role.AGENCY) {
                throw Settings.invalid(prefix + "inbound", "is only for clients with role agency");
            }
            inbound.ifPresent(p -> folder(prefix + "inbound", p, used));
            if (outbound.isPresent()) {
                folder(prefix + "outbound", outbound.get(), used);
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

    /** Distinct folders, never nested in one another, and never a symbolic link (the gateway creates them). */
    private static void folder(String key, Path path, Set<Path> used) {
        Path p = path.toAbsolutePath().normalize();
        for (Path other : used) {
            if (p.startsWith(other) || other.startsWith(p)) {
                throw Settings.invalid(key, "overlaps another drop folder: " + other);
            }
        }
        if (Files.isSymbolicLink(p)) {
            throw Settings.invalid(key, "is a symbolic link; name the real folder: " + p);
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw Settings.invalid(key, "names something that is not a folder: " + p);
        }
        used.add(p);
    }
}
