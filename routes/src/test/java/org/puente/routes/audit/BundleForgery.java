package org.puente.routes.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;
import org.puente.cli.audit.evidence.EvidenceBundle;

/**
 * What a forger does to an evidence bundle: copies it, replaces files and writes the manifest again
 * (it is not signed), so that only the signatures and proofs can catch the forgery.
 */
final class BundleForgery {
    private BundleForgery() {
    }

    /** A copy of {@code bundle} at {@code target}. */
    static Path copy(Path bundle, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(bundle)) {
            for (Path p : files.toList()) {
                Path t = target.resolve(bundle.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }

    /** Replaces files of a bundle (relative path → content) and its manifest digests. */
    static void rewrite(Path bundleDir, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(bundleDir.resolve(f.getKey()), f.getValue());
        }
        EvidenceBundle.Manifest m = EvidenceBundle.readManifest(bundleDir);
        EvidenceBundle.writeManifest(bundleDir, m.messageId(), m.gateway(), m.witness(), m.madeAt());
    }
}
